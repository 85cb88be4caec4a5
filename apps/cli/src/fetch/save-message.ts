import { readFile, unlink, utimes } from 'node:fs/promises';
import { parseHeaderLines, parseMailDate } from '@webpop/pop3/mail';
import { basename, join, relative, resolve } from 'node:path';
import { LocalError } from '../connect.js';
import { sha256Hex, type FetchState, type SavedRecord } from '../fetch-state.js';
import type { FetchProgress } from '../progress.js';
import { deliverToMbox } from '../deliver/mbox.js';
import { deliverToMda, MdaFailed } from '../deliver/mda.js';
import { isTracePrefix, traceHeaders, type TraceContext } from '../deliver/trace-headers.js';
import type { Output } from '../io.js';
import { deliverToMaildir } from '../maildir.js';
import { saveAtomically, verifyFile } from '../save.js';
import type { Wanted } from './plan.js';
import type { DeliveryFormat } from './summary.js';

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
  destination: Destination,
  state: FetchState,
  progress: FetchProgress,
  message: Wanted,
  bytes: Uint8Array,
): Promise<SaveOutcome> {
  const { out, format } = destination;
  if (format === 'mbox' || format === 'mda') return handOver(destination, state, progress, message, bytes);
  const delivered = withTrace(destination, bytes);
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
        ? await deliverToMaildir(out, delivered)
        : await saveAtomically(out, message.name, delivered);
    if (!(await verifyFile(path, delivered))) {
      await unlink(path).catch(() => {});
      progress.failed(message.number, 'the file does not read back as written');
      return { kind: 'failed', reason: `${path} did not read back as written, so it was removed` };
    }
    await setMtimeFromDate(path, bytes);
    await state.record(savedRecord(message, path, delivered));
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

/** Where and how a message goes, with what an MDA needs (its stderr, the environment). */
export interface Destination {
  readonly out: string;
  readonly format: DeliveryFormat;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal | undefined;
  /** --add-headers: who and where from, for the Delivered-To and Received lines. */
  readonly trace?: TraceContext | undefined;
}

/** The bytes to deliver: with --add-headers, the trace lines and then the message exactly. */
function withTrace(destination: Destination, bytes: Uint8Array): Uint8Array {
  if (destination.trace === undefined) return bytes;
  return Buffer.concat([traceHeaders(destination.trace, new Date()), bytes]);
}

/**
 * Appends the message to the mbox (under its dotlock) or pipes it to the MDA, and records it once
 * that succeeded. A failed MDA is a failed message (the run goes on; it stays on the server); a
 * lock held too long, or an mbox that cannot be written, stops the run.
 */
async function handOver(
  destination: Destination,
  state: FetchState,
  progress: FetchProgress,
  message: Wanted,
  bytes: Uint8Array,
): Promise<SaveOutcome> {
  const { out, format, stderr, env, signal } = destination;
  const delivered = withTrace(destination, bytes);
  try {
    if (format === 'mbox') {
      await deliverToMbox(out, delivered, {
        signal,
        onWait: (lock) => progress.line(`waiting for ${lock}: another program is writing the mbox`),
      });
    } else {
      await deliverToMda(out, delivered, { stderr, env });
    }
  } catch (error) {
    if (error instanceof LocalError) throw error;
    const reason =
      error instanceof MdaFailed ? error.message : `cannot append to ${out}: ${(error as Error).message}`;
    progress.failed(message.number, reason);
    return { kind: 'failed', reason, stops: !(error instanceof MdaFailed) };
  }
  await state.record({
    ...savedRecord(message, format === 'mbox' ? out : '', delivered),
    ...(format === 'mda' ? { file: '' } : {}),
    delivered: format === 'mbox' ? 'mbox' : 'mda',
  });
  progress.saved(message.number, format === 'mbox' ? basename(out) : 'the MDA', bytes.length);
  return { kind: 'saved' };
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
  if (saved === undefined || !holdsExactly(saved, bytes)) return false;
  await state.record(savedRecord(message, path, saved));
  return true;
}

/** The file is the message's bytes, or --add-headers' trace lines followed by exactly those bytes. */
function holdsExactly(saved: Buffer, bytes: Uint8Array): boolean {
  if (saved.length < bytes.length) return false;
  const prefixLength = saved.length - bytes.length;
  if (Buffer.compare(saved.subarray(prefixLength), bytes) !== 0) return false;
  return prefixLength === 0 || isTracePrefix(saved.subarray(0, prefixLength));
}

/** The record of `saved` (the bytes written or handed over) for `message` (its size on the server). */
function savedRecord(message: Wanted, path: string, saved: Uint8Array): SavedRecord {
  return {
    uid: message.uid,
    size: message.size,
    ...(saved.length === message.size ? {} : { savedSize: saved.length }),
    sha256: sha256Hex(saved),
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
