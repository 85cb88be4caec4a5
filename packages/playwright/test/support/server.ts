import { startPop3Server, type Pop3ServerOptions, type RunningPop3Server } from '@webpop/testkit';
import type { MailboxOptions } from '../../src/options.js';

export const username = 'alice';
export const password = 'pw-not-in-logs-7c1f';

/** A testkit POP3 server on loopback with one account, and the mailbox options that reach it. */
export async function startTestServer(
  messages: Uint8Array[] = [],
  options: Omit<Pop3ServerOptions, 'accounts'> = {},
): Promise<{ server: RunningPop3Server; mailboxOptions: MailboxOptions }> {
  const server = await startPop3Server({ accounts: [{ username, password, messages }], ...options });
  return {
    server,
    mailboxOptions: {
      host: server.host,
      port: server.port,
      security: 'none',
      username,
      password,
      // CRAM-MD5 keeps the password off the unencrypted loopback link.
      auth: 'cram-md5',
      pollInterval: 30,
      timeout: 5_000,
    },
  };
}

/** The commands of the log that start with `prefix` (e.g. 'TOP', 'RETR'). */
export function commands(server: RunningPop3Server, prefix: string): string[] {
  return server.commandLog.map((entry) => entry.command).filter((command) => command.startsWith(prefix));
}

export function later(ms: number, action: () => void): void {
  setTimeout(action, ms);
}
