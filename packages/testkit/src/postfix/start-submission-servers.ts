import { startDovecot, type RunningDovecot, type StartDovecotOptions } from '../dovecot/start-dovecot.js';
import { startPostfix, type RunningPostfix, type StartPostfixOptions } from './start-postfix.js';

export interface StartSubmissionServersOptions extends Omit<StartDovecotOptions, 'authListener'> {
  /** Postfix's own options (domain, extraConfig …); its Dovecot is the one started here. */
  readonly postfix?: Omit<StartPostfixOptions, 'dovecot'>;
}

export interface RunningSubmissionServers {
  /** Started with `authListener`: Postfix checks AUTH against its users (and tokens, with `oauth2`). */
  readonly dovecot: RunningDovecot;
  readonly postfix: RunningPostfix;
  /**
   * Waits until `username`'s maildir holds at least `count` messages (Postfix delivers after its 250 to
   * the final dot, through its queue) and returns their paths; after `timeoutMs` (default 20 s) it
   * fails with the end of Postfix's log.
   */
  delivered(username: string, count?: number, timeoutMs?: number): Promise<string[]>;
  /** Postfix first, then Dovecot. */
  stop(): Promise<void>;
}

const POLL_MS = 50;

/**
 * A real submission path on loopback: Dovecot with its authentication service open, and Postfix
 * beside it (STARTTLS required, SASL through Dovecot, delivery into Dovecot's maildirs). Needs what
 * `startPostfix` needs (`postfixAvailable()`). Stops whatever started when a step fails.
 */
export async function startSubmissionServers(
  options: StartSubmissionServersOptions = {},
): Promise<RunningSubmissionServers> {
  const { postfix: postfixOptions, ...dovecotOptions } = options;
  const dovecot = await startDovecot({ ...dovecotOptions, authListener: true });
  let postfix: RunningPostfix;
  try {
    postfix = await startPostfix({ ...postfixOptions, dovecot });
  } catch (error) {
    await dovecot.stop();
    throw error;
  }
  return {
    dovecot,
    postfix,
    async delivered(username, count = 1, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const files = await dovecot.maildirFiles(username);
        if (files.length >= count) return files;
        if (Date.now() > deadline) {
          throw new Error(
            `Postfix delivered ${files.length} of ${count} message(s) to ${username}:\n${await postfix.logTail(2000)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    async stop() {
      await postfix.stop();
      await dovecot.stop();
    },
  };
}
