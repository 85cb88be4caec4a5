import { setTimeout as sleep } from 'node:timers/promises';
import { isTransientPop3Error } from './transient-errors.js';

/**
 * The first pause between polls. Mail sent by the app under test usually lands within a second of the
 * action that sent it, so the first polls come quickly; the pause doubles up to `pollInterval`.
 */
export const firstPollDelayMs = 100;

/** The pause after poll number `attempt` (0 for the first): 100, 200, 400 … ms, never above `maxMs`. */
export function pollDelay(attempt: number, maxMs: number): number {
  return Math.min(maxMs, firstPollDelayMs * 2 ** Math.min(attempt, 30));
}

export interface PollRunOptions {
  readonly timeoutMs: number;
  /** The longest pause between polls. */
  readonly maxIntervalMs: number;
  /** Poll once more when the time is up (expectNoMessage: the whole window counts). */
  readonly finalPoll: boolean;
  /** Aborted when the wait is cancelled; its reason is thrown. */
  readonly cancel: AbortSignal;
  /** One poll; resolves true when the wait is over. Its signal aborts at the deadline or on cancel. */
  readonly poll: (signal: AbortSignal) => Promise<boolean>;
}

export interface PollRun {
  readonly done: boolean;
  readonly polls: number;
  /** The last failure of a poll that was retried (a dropped connection, a busy mailbox, …). */
  readonly lastError: Error | undefined;
}

/**
 * Polls until `poll` says done or the time is up. Failures that may pass are retried; any other
 * rejects at once. A poll still running at the deadline is cut.
 */
export async function runPolls(options: PollRunOptions): Promise<PollRun> {
  const { cancel } = options;
  const deadline = Date.now() + options.timeoutMs;
  const window = new AbortController();
  const timer = setTimeout(() => window.abort(), options.timeoutMs);
  const onCancel = () => window.abort(cancel.reason);
  cancel.addEventListener('abort', onCancel, { once: true });
  let polls = 0;
  let lastError: Error | undefined;
  const attempt = async (signal: AbortSignal): Promise<boolean> => {
    polls++;
    try {
      return await options.poll(signal);
    } catch (error) {
      if (cancel.aborted) throw cancel.reason;
      if (signal.aborted) return false; // cut at the deadline
      if (!isTransientPop3Error(error)) throw error;
      lastError = error;
      return false;
    }
  };
  try {
    for (let number = 0; ; number++) {
      if (await attempt(window.signal)) return { done: true, polls, lastError };
      const pause = Math.min(pollDelay(number, options.maxIntervalMs), deadline - Date.now());
      if (pause <= 0 || window.signal.aborted) break;
      await sleep(pause, undefined, { signal: window.signal }).catch(() => undefined);
      if (cancel.aborted) throw cancel.reason;
      if (window.signal.aborted) break;
    }
    if (options.finalPoll && (await attempt(cancel))) return { done: true, polls, lastError };
    return { done: false, polls, lastError };
  } finally {
    clearTimeout(timer);
    cancel.removeEventListener('abort', onCancel);
  }
}
