import { KindError } from '../lib/kind-error.js';

/** One message handed to an export: its raw bytes exactly as stored, and what names it. */
export interface ExportItem {
  readonly bytes: Uint8Array;
  readonly subject: string;
  /** The Date header (ms since the epoch), when it could be read. */
  readonly date: number | undefined;
  /** The envelope sender (its Return-Path), for the mbox `From ` line (MAILER-DAEMON when none). */
  readonly sender: string | undefined;
  /** When it was saved on this device (ms since the epoch): the mbox `From ` line's date. */
  readonly savedAt: number;
  /** The `From ` line it had in an mbox it was imported from: written again as it was. */
  readonly fromLine: string | undefined;
}

export type ExportFormat = 'mbox' | 'zip';

/** What an export says when it cannot go on; `kind` is for the code. */
export type ExportErrorKind =
  /** The file could not be opened or written (disk full, permission revoked). */
  'write';

export class ExportError extends KindError<ExportErrorKind> {
  override readonly name = 'ExportError';
}
