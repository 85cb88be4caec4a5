import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  Pop3IntegrityError,
  Pop3ServerError,
  Pop3UnsupportedError,
  type MessageEntry,
  type Pop3Client,
} from '@webpop/pop3';
import type { ConnectionArgs } from '../args.js';
import { endSession, LocalError, openMailbox } from '../connect.js';
import { proveSaved } from '../delete-proof.js';
import { describeError } from '../errors.js';
import { defaultStatePath, FetchState, sha256Hex, type SavedRecord } from '../fetch-state.js';
import { fileNameForUid } from '../filename.js';
import { isTty, println, type Io } from '../io.js';
import { FetchProgress } from '../progress.js';
import { saveAtomically, verifyFile } from '../save.js';

export interface FetchOptions {
  readonly out: string;
  readonly delete: boolean;
  /** --state FILE; by default one file per account under XDG_STATE_HOME (see defaultStatePath). */
  readonly state?: string;
}

export interface FetchSummary {
  saved: number;
  skipped: number;
  /** null when the server closed the connection in answer to QUIT: it may or may not have deleted. */
  deleted: number | null;
  /** With `deleted: null`: how many messages were marked for deletion when QUIT went unanswered. */
  deletionUncertain?: number;
  failed: number;
  out: string;
  failures: Array<{ number: number; uid: string | null; error: string }>;
  /** Set when the run stopped early. */
  error?: string;
}

/** The run stopped; the message is final (already in words). */
export class FetchStopped extends Error {
  override name = 'FetchStopped';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

interface Wanted {
  readonly number: number;
  readonly uid: string;
  readonly size: number;
  readonly name: string;
  /**
   * Its file exists but the state file has no record of it (saved by hand, by an older webpop, or a
   * crash between saving and recording): with --delete it is downloaded again and compared with
   * the file, never written; identical bytes are the proof that lets it be recorded and deleted.
   */
  readonly recheck?: boolean;
}

/** Messages received but not yet written, at most: bounds memory while keeping the pipeline full. */
const window = 8;

/**
 * Resumable backup: every message neither in `out` nor recorded in the state file is downloaded
 * (pipelined), written atomically, read back and recorded (UIDL, size, SHA-256, path). With --delete,
 * the messages saved in this run and those an earlier run saved and can still be proven saved
 * (see proveSaved) are marked with DELE, and QUIT commits; any failure that breaks the session leaves
 * the server untouched.
 */
export async function fetchCommand(io: Io, args: ConnectionArgs, options: FetchOptions): Promise<number> {
  const summary: FetchSummary = {
    saved: 0,
    skipped: 0,
    deleted: 0,
    failed: 0,
    out: options.out,
    failures: [],
  };
  const state = await FetchState.open(options.state ?? defaultStatePath(io.env, args));
  try {
    await mkdir(options.out, { recursive: true });
  } catch (error) {
    throw new LocalError(`cannot create the folder ${options.out}: ${(error as Error).message}`);
  }
  const client = await openMailbox(io, args);
  const verified: Wanted[] = [];
  /** Saved by an earlier run and proven still saved: deleted with the others. */
  const provenEarlier: Wanted[] = [];
  let stopped: unknown;

  const fail = (message: Wanted, error: string) => {
    summary.failed++;
    summary.failures.push({ number: message.number, uid: message.uid, error });
  };

  try {
    const messages = await client.messages();
    const { wanted, earlier } = await plan(messages, options.out, state, options.delete, summary);
    const progress = new FetchProgress(
      io.stderr,
      isTty(io, 'stderr'),
      wanted.length,
      wanted.reduce((sum, message) => sum + message.size, 0),
    );
    if (!isTty(io, 'stderr') && (wanted.length > 0 || summary.skipped > 0)) {
      const rechecks = wanted.filter((message) => message.recheck).length;
      progress.line(
        `${wanted.length - rechecks} to download, ${summary.skipped} already saved in ${options.out}` +
          (rechecks > 0
            ? ` (${rechecks} of them with no record in the state file: downloaded again to compare before deleting)`
            : ''),
      );
    }
    for (const failure of summary.failures) progress.failed(failure.number, failure.error);
    try {
      await download(
        client,
        wanted,
        io.signal,
        progress,
        async (message, bytes) => {
          if (message.recheck) {
            if (await recheckMatches(options.out, message, bytes, state)) {
              provenEarlier.push(message);
              progress.rechecked(message.number, message.name, bytes.length);
            } else {
              const reason = `${message.name} differs from the message on the server, so both are left alone`;
              fail(message, `not deleted: ${reason}`);
              progress.line(`message ${message.number} not deleted: ${reason}`);
            }
            return;
          }
          try {
            const path = await saveAtomically(options.out, message.name, bytes);
            if (!(await verifyFile(path, bytes))) {
              await unlink(path).catch(() => {});
              fail(message, `${path} did not read back as written, so it was removed`);
              progress.failed(message.number, 'the file does not read back as written');
              return;
            }
            await state.record(savedRecord(message, path, bytes));
            summary.saved++;
            progress.saved(message.number, message.name, bytes.length);
            verified.push(message);
          } catch (error) {
            if (error instanceof LocalError) throw error;
            const reason =
              (error as NodeJS.ErrnoException).code === 'EEXIST'
                ? `a file named like ${message.name} (perhaps differing only in letter case) is in the way`
                : `cannot save ${message.name}: ${(error as Error).message}`;
            fail(message, reason);
            progress.failed(message.number, reason);
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new LocalError(reason);
          }
        },
        (message, error) => {
          const notSaved = error instanceof Pop3IntegrityError ? '; a later run tries again' : '';
          const reason = describeError(error, args) + notSaved;
          fail(message, reason);
          progress.failed(message.number, reason);
        },
      );
    } finally {
      progress.finish();
    }
    if (options.delete && !io.signal?.aborted) {
      for (const { entry, wanted: message } of earlier) {
        const proof = await proveSaved(entry, state.get(message.uid), state.path);
        if (proof.proven) {
          provenEarlier.push(message);
        } else {
          fail(message, `not deleted: ${proof.reason}`);
          println(io.stderr, `webpop: message ${message.number} not deleted: ${proof.reason}`);
        }
      }
    }
  } catch (error) {
    stopped = error;
  }

  const interrupted = io.signal?.aborted === true;
  let sessionBroken = client.state === 'ended';
  if (interrupted || sessionBroken) {
    // Nothing was marked for deletion yet; closing without QUIT keeps it that way.
    client.close();
  } else {
    const toDelete = [...provenEarlier, ...verified].sort((a, b) => a.number - b.number);
    if (options.delete && toDelete.length > 0) {
      try {
        summary.deleted = await markDeleted(client, toDelete, (message, error) => {
          summary.failed++;
          summary.failures.push({ number: message.number, uid: message.uid, error: `not deleted: ${error}` });
          println(io.stderr, `webpop: message ${message.number} not deleted: ${error}`);
        });
      } catch (error) {
        stopped ??= error;
        summary.deleted = 0;
        sessionBroken = client.state === 'ended';
      }
    }
    const quitError = sessionBroken ? undefined : await endSession(client);
    const marked = summary.deleted ?? 0;
    if (quitError !== undefined && marked > 0) {
      summary.deleted = null;
      summary.deletionUncertain = marked;
      stopped ??= new FetchStopped(
        `the connection broke during QUIT (${describeError(quitError, args)}): the server may or may not have deleted ` +
          `the ${marked} message${marked === 1 ? '' : 's'} marked; all of them are saved in ${options.out}, and the next run will tell`,
      );
    }
  }

  if (stopped !== undefined)
    summary.error = stoppedMessage(stopped, args, options, summary, { interrupted, sessionBroken });
  report(io, args, options, summary);
  if (stopped !== undefined) throw new FetchStopped(summary.error!, interrupted ? 130 : 1);
  return summary.failed > 0 ? 1 : 0;
}

/** Skipped because an earlier run saved it: with --delete, deleted once proven still saved. */
interface Earlier {
  readonly entry: MessageEntry;
  readonly wanted: Wanted;
}

/**
 * Which messages to download: those with neither a file nor a record in the state file (a record
 * alone means it was saved and the file since moved: it is not downloaded again). With --delete, a
 * file without a record is downloaded again to be compared (see Wanted.recheck). Refuses a server
 * without UIDL. A message whose id cannot tell it apart between runs (left out of UIDL, or sharing
 * its id with another) is a failure, never saved nor skipped: a later run would take it, or
 * another, for already saved. Records of messages no longer on the server are dropped.
 */
async function plan(
  messages: readonly MessageEntry[],
  out: string,
  state: FetchState,
  deleting: boolean,
  summary: FetchSummary,
): Promise<{ wanted: Wanted[]; earlier: Earlier[] }> {
  if (messages.some((message) => message.uidProblem === 'unsupported')) {
    throw new Pop3UnsupportedError(
      'the server has no UIDL, so messages cannot be told apart between runs and a resumable backup would be unsafe',
    );
  }
  let existing: Set<string>;
  try {
    existing = new Set(await readdir(out));
  } catch (error) {
    throw new LocalError(`cannot read the folder ${out}: ${(error as Error).message}`);
  }
  await state.retainOnly(new Set(messages.flatMap((message) => (message.uid ? [message.uid] : []))));
  const wanted: Wanted[] = [];
  const earlier: Earlier[] = [];
  for (const message of messages) {
    const refusal = unsafeIdReason(message, messages);
    if (refusal !== undefined) {
      summary.failed++;
      summary.failures.push({ number: message.number, uid: message.uid ?? null, error: refusal });
      continue;
    }
    const uid = message.uid!;
    const item: Wanted = { number: message.number, uid, size: message.size, name: fileNameForUid(uid) };
    const recorded = state.has(uid);
    if (!existing.has(item.name) && !recorded) {
      wanted.push(item);
    } else if (deleting && !recorded) {
      summary.skipped++;
      wanted.push({ ...item, recheck: true });
    } else {
      summary.skipped++;
      earlier.push({ entry: message, wanted: item });
    }
  }
  return { wanted, earlier };
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

function unsafeIdReason(message: MessageEntry, messages: readonly MessageEntry[]): string | undefined {
  if (message.uidProblem === 'missing') {
    return "the server's UIDL has no entry for it, so it cannot be told apart between runs";
  }
  if (message.uidProblem === 'duplicate') {
    const others = messages
      .filter((other) => other.uid === message.uid && other.number !== message.number)
      .map((other) => other.number);
    return `it has the same UIDL as message ${others.join(', ')}, so they cannot be told apart between runs`;
  }
  return undefined;
}

/**
 * RETR of every wanted message, in order, with up to `window` commands queued (the engine pipelines
 * them when the server allows). A message the server refuses, or one whose size disagrees with LIST
 * (the engine's integrity check: it is never saved), goes to `onRefused`; anything that
 * breaks the session (or a local failure thrown by `onMessage`) stops the loop and rejects.
 */
async function download(
  client: Pop3Client,
  wanted: readonly Wanted[],
  interrupt: AbortSignal | undefined,
  progress: FetchProgress,
  onMessage: (message: Wanted, bytes: Uint8Array) => Promise<void>,
  onRefused: (message: Wanted, error: Pop3ServerError | Pop3IntegrityError) => void,
): Promise<void> {
  const stop = new AbortController();
  const signal = interrupt ? AbortSignal.any([stop.signal, interrupt]) : stop.signal;
  const pending: Array<{ message: Wanted; reply: Promise<Uint8Array> }> = [];
  let next = 0;
  const refill = () => {
    while (pending.length < window && next < wanted.length && !signal.aborted) {
      const message = wanted[next++]!;
      const reply = client.retr(message.number, {
        signal,
        onProgress: (received, total) => progress.transfer(message.number, received, total),
      });
      reply.catch(() => {}); // awaited below, in order; this only keeps early rejections handled
      pending.push({ message, reply });
    }
  };
  try {
    refill();
    for (let item = pending.shift(); item; item = pending.shift()) {
      let bytes: Uint8Array;
      try {
        bytes = await item.reply;
      } catch (error) {
        if (!(error instanceof Pop3ServerError || error instanceof Pop3IntegrityError)) throw error;
        onRefused(item.message, error);
        refill();
        continue;
      }
      await onMessage(item.message, bytes);
      refill();
    }
    if (interrupt?.aborted) throw new FetchStopped('interrupted', 130);
  } catch (error) {
    stop.abort();
    throw error;
  }
}

/** DELE for each verified message (pipelined); returns how many the server accepted. */
async function markDeleted(
  client: Pop3Client,
  messages: readonly Wanted[],
  onRefused: (message: Wanted, error: string) => void,
): Promise<number> {
  const results = await Promise.allSettled(messages.map((message) => client.dele(message.number)));
  let marked = 0;
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') marked++;
    else if (result.reason instanceof Pop3ServerError)
      onRefused(messages[index]!, describeError(result.reason));
  });
  const broken = results.find(
    (result) => result.status === 'rejected' && !(result.reason instanceof Pop3ServerError),
  );
  if (broken?.status === 'rejected') throw broken.reason;
  return marked;
}

function stoppedMessage(
  error: unknown,
  args: ConnectionArgs,
  options: FetchOptions,
  summary: FetchSummary,
  state: { interrupted: boolean; sessionBroken: boolean },
): string {
  if (error instanceof FetchStopped && !state.interrupted) return error.message;
  let text = state.interrupted ? 'interrupted' : describeError(error, args);
  if (options.delete) {
    if (summary.deleted === null) {
      text += `; the server may or may not have deleted the ${summary.deletionUncertain} message(s) marked`;
    } else if (summary.deleted > 0) {
      text += `; the ${summary.deleted} message(s) saved and verified before that were deleted from the server`;
    } else if (state.interrupted || state.sessionBroken) {
      text += '; nothing was deleted from the server (POP3 deletes only at a completed QUIT)';
    } else {
      text += '; nothing was deleted from the server';
    }
  }
  if (summary.saved > 0) {
    text += `; the ${summary.saved} message(s) saved stay in ${summary.out}, and the next run resumes from there`;
  }
  return text;
}

function report(io: Io, args: ConnectionArgs, options: FetchOptions, summary: FetchSummary): void {
  if (args.json) {
    println(io.stdout, JSON.stringify(summary, null, 2));
    return;
  }
  const parts = [
    `saved ${summary.saved}`,
    `skipped ${summary.skipped} (already saved)`,
    `failed ${summary.failed}`,
  ];
  if (options.delete) {
    parts.push(
      summary.deleted === null
        ? `may or may not have deleted ${summary.deletionUncertain} from the server`
        : `deleted ${summary.deleted} from the server`,
    );
  }
  println(io.stdout, `${capitalise(parts.join(', '))} — in ${options.out}`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
