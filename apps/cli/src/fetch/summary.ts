import type { ConnectionArgs } from '../args.js';
import { describeError } from '../errors.js';
import { println, type Io } from '../io.js';

export type DeliveryFormat = 'eml' | 'maildir' | 'mbox' | 'mda';

export interface FetchOptions {
  /** The folder, Maildir or mbox file; for an MDA, its command. */
  readonly out: string;
  /** eml: `<uidl>.eml` files in `out`; maildir: `out` is a Maildir; mbox: an mbox file; mda: a command. */
  readonly format: DeliveryFormat;
  /** --delete: what is proven saved is deleted from the server in the same run. */
  readonly delete: boolean;
  /** --keep-days N: only what was saved (and is still proven saved) more than N days ago is deleted. */
  readonly keepDays?: number;
  /** --add-headers: Delivered-To and Received lines put before each message delivered. */
  readonly addHeaders?: boolean;
  /** --state FILE; by default one file per account under XDG_STATE_HOME (see defaultStatePath). */
  readonly state?: string;
}

/** Whether the run deletes anything from the server (--delete, or --keep-days N). */
export function deletes(options: Pick<FetchOptions, 'delete' | 'keepDays'>): boolean {
  return options.delete || options.keepDays !== undefined;
}

export interface FetchSummary {
  saved: number;
  skipped: number;
  /** With --keep-days: saved less than N days ago, so kept on the server for now. */
  kept?: number;
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

export function emptySummary(out: string): FetchSummary {
  return { saved: 0, skipped: 0, deleted: 0, failed: 0, out, failures: [] };
}

/** Counts a message as failed, with why. */
export function addFailure(
  summary: FetchSummary,
  message: { readonly number: number; readonly uid: string | null | undefined },
  error: string,
): void {
  summary.failed++;
  summary.failures.push({ number: message.number, uid: message.uid ?? null, error });
}

/** The one line that says why the run stopped, and what that means for the server and the folder. */
export function stoppedMessage(
  error: unknown,
  args: ConnectionArgs,
  options: FetchOptions,
  summary: FetchSummary,
  state: { interrupted: boolean; sessionBroken: boolean },
): string {
  if (error instanceof FetchStopped && !state.interrupted) return error.message;
  let text = state.interrupted ? 'interrupted' : describeError(error, args);
  if (deletes(options)) {
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
    text += `; the ${summary.saved} message(s) saved stay ${where(options)}, and the next run resumes from there`;
  }
  return text;
}

/** The summary on stdout: one sentence, or the JSON object. */
export function report(io: Io, args: ConnectionArgs, options: FetchOptions, summary: FetchSummary): void {
  if (args.json) {
    println(io.stdout, JSON.stringify(summary, null, 2));
    return;
  }
  const parts = [
    `saved ${summary.saved}`,
    `skipped ${summary.skipped} (already saved)`,
    `failed ${summary.failed}`,
  ];
  if (deletes(options)) {
    parts.push(
      summary.deleted === null
        ? `may or may not have deleted ${summary.deletionUncertain} from the server`
        : `deleted ${summary.deleted} from the server`,
    );
  }
  if (options.keepDays !== undefined) {
    parts.push(
      `kept ${summary.kept ?? 0} on the server (saved less than ${options.keepDays} day${options.keepDays === 1 ? '' : 's'} ago)`,
    );
  }
  println(io.stdout, `${capitalise(parts.join(', '))} — ${where(options)}`);
}

/** Where the messages went, in words: `in DIR` (a folder, Maildir or mbox) or `through the MDA "…"`. */
export function where(options: Pick<FetchOptions, 'format' | 'out'>): string {
  return options.format === 'mda' ? `through the MDA ${JSON.stringify(options.out)}` : `in ${options.out}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
