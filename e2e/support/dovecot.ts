// Reaching into the suite's Dovecot from a test: the server side of a scenario.
import { readFileSync } from 'node:fs';
import type { RunningDovecot } from '@webpop/testkit';

/**
 * Pids of the pop3 processes serving `username` (Dovecot runs one per session and, with
 * verbose_proctitle, names its user in the title: "dovecot-<instance>/pop3 [<user> 127.0.0.1 …]").
 */
export function sessionProcesses(dovecot: RunningDovecot, username: string): number[] {
  return dovecot.processes().filter((pid) => {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      return /\/pop3 \[/.test(title) && title.includes(`[${username} `);
    } catch {
      return false; // ended meanwhile
    }
  });
}

/** Ends a user's POP3 session the hard way: its server process dies, so no QUIT is ever handled. */
export function killSession(dovecot: RunningDovecot, username: string): number {
  const pids = sessionProcesses(dovecot, username);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids.length;
}
