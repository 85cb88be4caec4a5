import { readFile, unlink, utimes } from 'node:fs/promises';
import { parseHeaderLines, parseMailDate } from '@webpop/pop3/mail';
import { join, relative, resolve } from 'node:path';
import { LocalError } from '../connect.js';
import { sha256Hex, type FetchState, type SavedRecord } from '../fetch-state.js';
import type { FetchProgress } from '../progress.js';
import { deliverToMaildir } from '../maildir.js';
import { saveAtomically, verifyFile } from '../save.js';
import type { Wanted } from './plan.js';

/** What became of one downloaded message. */
export type SaveOutcome =
  | { readonly kind: 'saved' }
  /** A file with no record held exactly these bytes: recorded now, so it may be deleted. */
  | { readonly kind: 'rechecked' }
  /** `stops`: a local failure (not a name in the way) that ends the run once counted. */
  | { readonly kind: 'failed'; readonly reason: string; readonly stops?: boolean };

/**
 * Handles one downloaded message: written atomically into `out`, read back and recorded in the
 * state file; or, for a recheck, compared with the file already there (never written). Progress
 * lines are drawn here. A state file that cannot be written throws (LocalError).
 */
export async function saveMessage(
  { out, format }: { readonly out: string; readonly format: 'eml' | 'maildir' },
  state: FetchState,
  progress: FetchProgress,
  message: Wanted,
  bytes: Uint8Array,
): Promise<SaveOutcome> {
  if (message.recheck) {
    if (await recheckMatches(out, message, bytes, state)) {
      progress.rechecked(message.number, message.name, bytes.length);
      return { kind: 'rechecked' };
    }
    const reason = `${message.name} differs from the message on the server, so both are left alone`;
    progress.line(`message ${message.number} not deleted: ${reason}`);
    return { kind: 'failed', reason: `not deleted: ${reason}` };
  }
  try {
    const path =
      format === 'maildir'
        ? await deliverToMaildir(out, bytes)
        : await saveAtomically(out, message.name, bytes);
    if (!(await verifyFile(path, bytes))) {
      await unlink(path).catch(() => {});
      progress.failed(message.number, 'the file does not read back as written');
      return { kind: 'failed', reason: `${path} did not read back as written, so it was removed` };
    }
    await setMtimeFromDate(path, bytes);
    await state.record(savedRecord(message, path, bytes));
    progress.saved(message.number, format === 'maildir' ? relative(out, path) : message.name, bytes.length);
    return { kind: 'saved' };
  } catch (error) {
    if (error instanceof LocalError) throw error;
    const inTheWay = (error as NodeJS.ErrnoException).code === 'EEXIST';
    const reason = inTheWay
      ? `a file named like ${message.name} (perhaps differing only in letter case) is in the way`
      : `cannot save ${message.name}: ${(error as Error).message}`;
    progress.failed(message.number, reason);
    return { kind: 'failed', reason, stops: !inTheWay };
  }
}

/** Whether the file an earlier run left without a record holds exactly these bytes; records it if so. */
async function recheckMatches(
  out: string,
  message: Wanted,
  bytes: Uint8Array,
  state: FetchState,
): Promise<boolean> {
  const path = join(out, message.name);
  const saved = await readFile(path).catch(() => undefined);
  if (saved === undefined || Buffer.compare(saved, bytes) !== 0) return false;
  await state.record(savedRecord(message, path, bytes));
  return true;
}

function savedRecord(message: Wanted, path: string, bytes: Uint8Array): SavedRecord {
  return {
    uid: message.uid,
    size: bytes.length,
    sha256: sha256Hex(bytes),
    file: resolve(path),
    savedAt: new Date().toISOString(),
  };
}

/** The file's modification time becomes the message's Date (so `ls -t` and mail readers sort by it). */
async function setMtimeFromDate(path: string, bytes: Uint8Array): Promise<void> {
  const date = parseMailDate(parseHeaderLines(bytes).find(([name]) => name === 'date')?.[1]);
  if (date === undefined) return;
  const when = new Date(date);
  await utimes(path, when, when).catch(() => {}); // only a nicety: the message is saved either way
}
