import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Pop3IntegrityError, type Pop3Client } from '@webpop/pop3';
import type { ConnectionArgs } from '../args.js';
import { endSession, LocalError, openMailbox } from '../connect.js';
import { describeError } from '../errors.js';
import { defaultStatePath, FetchState } from '../fetch-state.js';
import { dueForDeletion, markDeleted, provenEarlier } from '../fetch/delete.js';
import { download } from '../fetch/download.js';
import { plan, type Wanted } from '../fetch/plan.js';
import { saveMessage } from '../fetch/save-message.js';
import {
  addFailure,
  deletes,
  emptySummary,
  FetchStopped,
  report,
  stoppedMessage,
  where,
  type FetchOptions,
  type FetchSummary,
} from '../fetch/summary.js';
import { interruptedExitCode, isTty, println, type Io } from '../io.js';
import { ensureMaildir } from '../maildir.js';
import { FetchProgress } from '../progress.js';
import { version } from '../version.js';

export { FetchStopped, type FetchOptions, type FetchSummary };

/** What `fetch --watch` hands each run, and learns from it. */
export interface FetchSession {
  /** Where the password comes from (asked once for all runs); by default, readSecret each run. */
  secret?: () => Promise<string>;
  /** Set after login: the server's CAPA LOGIN-DELAY (RFC 2449), the least time between logins. */
  loginDelaySeconds?: number;
}

/** CAPA `LOGIN-DELAY n` (seconds; after login, when the server gives it), else undefined. */
function loginDelaySeconds(client: Pop3Client): number | undefined {
  const text = client.capabilities?.args('LOGIN-DELAY')?.[0];
  const seconds = text === undefined ? NaN : Number(text);
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * Resumable backup: every message neither in `out` nor recorded in the state file is downloaded
 * (pipelined), written atomically, read back and recorded (UIDL, size, SHA-256, path). With --delete,
 * the messages saved in this run and those an earlier run saved and can still be proven saved
 * (see proveSaved) are marked with DELE, and QUIT commits (with --keep-days N, only those an
 * earlier run saved more than N days ago); any failure that breaks the session leaves
 * the server untouched.
 */
export async function fetchCommand(
  io: Io,
  args: ConnectionArgs,
  options: FetchOptions,
  session: FetchSession = {},
): Promise<number> {
  const summary = emptySummary(options.out);
  const state = await FetchState.open(options.state ?? defaultStatePath(io.env, args));
  const client = await openMailbox(io, args, undefined, session.secret);
  // Only now, so a wrong password or host leaves no empty folder behind.
  await createDestination(options).catch((error: unknown) => {
    client.close();
    throw error;
  });
  const trace = options.addHeaders
    ? { user: args.user ?? '', host: args.host, agent: `webpop ${version()}` }
    : undefined;
  /** Saved and verified in this run, or saved earlier and proven still saved: deleted with --delete. */
  const toDelete: Wanted[] = [];
  let stopped: unknown;

  try {
    const messages = await client.messages();
    // The CAPA sent after login is answered by now (its reply comes before those that follow it).
    session.loginDelaySeconds = loginDelaySeconds(client);
    const { wanted, earlier } = await plan(
      messages,
      options.out,
      state,
      deletes(options),
      summary,
      options.format === 'eml',
    );
    const progress = new FetchProgress(
      io.stderr,
      isTty(io, 'stderr'),
      wanted.length,
      wanted.reduce((sum, message) => sum + message.size, 0),
    );
    announce(io, progress, wanted, summary, where(options));
    try {
      await download(
        client,
        wanted,
        io.signal,
        progress,
        async (message, bytes) => {
          const outcome = await saveMessage(
            { ...options, stderr: io.stderr, env: io.env, signal: io.signal, trace },
            state,
            progress,
            message,
            bytes,
          );
          if (outcome.kind === 'failed') {
            addFailure(summary, message, outcome.reason);
            if (outcome.stops) throw new LocalError(outcome.reason);
            return;
          }
          if (outcome.kind === 'saved') summary.saved++;
          if (options.delete) toDelete.push(message);
          // --keep-days: saved just now, so not due yet (a recheck's record is new as well).
          else if (options.keepDays !== undefined) summary.kept = (summary.kept ?? 0) + 1;
        },
        (message, error) => {
          const notSaved = error instanceof Pop3IntegrityError ? '; a later run tries again' : '';
          const reason = describeError(error, args) + notSaved;
          addFailure(summary, message, reason);
          progress.failed(message.number, reason);
        },
      );
    } finally {
      progress.finish();
    }
    if (deletes(options) && !io.signal?.aborted) {
      let due = earlier;
      if (options.keepDays !== undefined) {
        const policy = dueForDeletion(earlier, state, options.keepDays, Date.now());
        due = policy.due;
        summary.kept = (summary.kept ?? 0) + policy.kept;
      }
      const proven = await provenEarlier(due, state, (message, reason) => {
        addFailure(summary, message, `not deleted: ${reason}`);
        println(io.stderr, `webpop: message ${message.number} not deleted: ${reason}`);
      });
      toDelete.push(...proven);
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
    if (deletes(options) && toDelete.length > 0) {
      try {
        const inOrder = [...toDelete].sort((a, b) => a.number - b.number);
        summary.deleted = await markDeleted(client, inOrder, (message, error) => {
          addFailure(summary, message, `not deleted: ${error}`);
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
          `the ${marked} message${marked === 1 ? '' : 's'} marked; all of them are saved ${where(options)}, and the next run will tell`,
      );
    }
  }

  if (stopped !== undefined)
    summary.error = stoppedMessage(stopped, args, options, summary, { interrupted, sessionBroken });
  report(io, args, options, summary);
  if (stopped !== undefined)
    throw new FetchStopped(summary.error!, interrupted ? interruptedExitCode(io) : 1);
  return summary.failed > 0 ? 1 : 0;
}

/** The folder, Maildir or the mbox's folder, created if missing (for an MDA, nothing). */
async function createDestination(options: FetchOptions): Promise<void> {
  const folder = options.format === 'mbox' ? dirname(options.out) : options.out;
  try {
    if (options.format === 'maildir') await ensureMaildir(folder);
    else if (options.format !== 'mda') await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new LocalError(`cannot create the folder ${folder}: ${(error as Error).message}`);
  }
}

/** The plan in a line (not on a terminal, where the bar says it), and the messages refused already. */
function announce(
  io: Io,
  progress: FetchProgress,
  wanted: readonly Wanted[],
  summary: FetchSummary,
  /** `in DIR`, or `through the MDA "…"`. */
  destination: string,
): void {
  if (!isTty(io, 'stderr') && (wanted.length > 0 || summary.skipped > 0)) {
    const rechecks = wanted.filter((message) => message.recheck).length;
    progress.line(
      `${wanted.length - rechecks} to download, ${summary.skipped} already saved ${destination}` +
        (rechecks > 0
          ? ` (${rechecks} of them with no record in the state file: downloaded again to compare before deleting)`
          : ''),
    );
  }
  for (const failure of summary.failures) progress.failed(failure.number, failure.error);
}
