import type { MailAddress } from '@webpop/pop3/mail';
import type { HtmlTooComplex } from './html-complexity.js';
import type { TextSegment } from './linkify.js';

/** One attachment or inline part, its bytes exactly as decoded from the transfer encoding. */
export interface ParsedAttachment {
  readonly filename: string | null;
  readonly mimeType: string;
  readonly disposition: string | null;
  /** Without angle brackets. */
  readonly contentId: string | undefined;
  /** Referenced from the HTML by its Content-ID (an inline image). */
  readonly related: boolean;
  readonly size: number;
  readonly content: ArrayBuffer;
}

/** A message as the MIME worker returns it (structured-clone friendly). */
export interface ParsedMessage {
  readonly subject: string;
  readonly from: MailAddress | undefined;
  readonly to: MailAddress[];
  readonly cc: MailAddress[];
  readonly replyTo: MailAddress[];
  /** ISO date or the raw header when it does not parse. */
  readonly date: string | undefined;
  readonly messageId: string | undefined;
  /** Every header in order, encoded words decoded. */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** At most mimeLimits.maxBodyChars characters; see `truncated`. */
  readonly text: string | undefined;
  /** `text` split into text and links, done in the MIME worker (linking a long body is work to keep off the UI). */
  readonly textSegments?: readonly TextSegment[];
  /** Undefined when there is none, or when it is too complex to show (`htmlTooComplex` then says why). */
  readonly html: string | undefined;
  /** The HTML body was beyond mimeLimits.maxHtmlDepth or maxHtmlElements: it is not sent nor rendered. */
  readonly htmlTooComplex?: HtmlTooComplex;
  readonly attachments: ParsedAttachment[];
  /** Set when the text or HTML body was cut for display: its whole length in characters. */
  readonly truncated?: { readonly shown: number; readonly total: number };
}

export type WorkerRequest = { readonly id: number; readonly bytes: ArrayBuffer };
export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly message: ParsedMessage }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly limit: boolean };
