import { UsageError, type ConnectionArgs } from '../args.js';
import { secretFor } from '../connect.js';
import { println, type Io } from '../io.js';
import { PromptCancelled } from '../password.js';
import { fetchCommand, type FetchOptions, type FetchSession } from './fetch.js';

/**
 * `fetch --watch MINUTES` (fetchmail's daemon mode): a fetch run, a wait, another run, until SIGTERM
 * (exit 0) or Ctrl-C (130). A failed run (the server down, a lock held, a dropped link) is reported
 * like a failed `fetch` and the next run tries again; a mistake in how webpop was called stops it
 * (exit 2). The wait is at least the server's LOGIN-DELAY (RFC 2449), when it announces one.
 * A password typed at the prompt is asked once; a --password-command runs before each login (so
 * it can hand out a fresh token).
 */
export async function watchCommand(
  io: Io,
  args: ConnectionArgs,
  options: FetchOptions,
  minutes: number,
  /** Prints a failed run's one line (as `webpop` does for any failure); returns its exit code. */
  reportFailure: (error: unknown) => Promise<number>,
): Promise<number> {
  let asked: Promise<string> | undefined;
  const session: FetchSession = {
    ...(args.passwordCommand === undefined ? { secret: () => (asked ??= secretFor(io, args)) } : {}),
  };
  const sleep = io.sleep ?? timer;
  for (;;) {
    try {
      await fetchCommand(io, args, options, session);
    } catch (error) {
      if (error instanceof UsageError || error instanceof PromptCancelled) throw error;
      const code = await reportFailure(error);
      if (io.signal?.aborted && !io.terminate?.aborted) return code;
    }
    if (io.terminate?.aborted) return stopped(io);
    const delay = session.loginDelaySeconds ?? 0;
    const waitMs = Math.max(minutes * 60_000, delay * 1000);
    println(
      io.stderr,
      `webpop: watching: the next check is in ${duration(waitMs)}` +
        (delay * 1000 > minutes * 60_000
          ? ` (the server allows a login only every ${delay} s: LOGIN-DELAY)`
          : ''),
    );
    await sleep(waitMs, io.signal);
    if (io.terminate?.aborted) return stopped(io);
    if (io.signal?.aborted) {
      println(io.stderr, 'webpop: interrupted');
      return 130;
    }
  }
}

function stopped(io: Io): number {
  println(io.stderr, 'webpop: stopped (SIGTERM); nothing is left half done');
  return 0;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 6) / 10} h`;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function timer(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(handle);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const handle = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
