import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fileNameForUid } from '../src/index.js';
import {
  commandsSince,
  PASSWORD,
  serverArgs,
  serverPerTest,
  stateHome,
  webpop,
  withTempDir,
} from './helpers.js';
import { standardMailbox } from './messages.js';

const start = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox().slice(0, 2) }],
});

const newMail = Buffer.from(
  'From: Dan <dan@example.org>\r\nTo: alice@example.org\r\nSubject: Later\r\nDate: Tue, 1 Dec 2026 12:00:00 +0000\r\n\r\nHi.\r\n',
);

/** What main.ts does on SIGTERM: both signals aborted. */
function termination() {
  const interrupt = new AbortController();
  const terminate = new AbortController();
  return {
    signal: interrupt.signal,
    terminate: terminate.signal,
    sigterm: () => {
      terminate.abort();
      interrupt.abort();
    },
    sigint: () => interrupt.abort(),
  };
}

describe('webpop fetch --watch MINUTES', () => {
  it('picks up a delivery on the next run, and stops cleanly (exit 0) on SIGTERM while waiting', async () => {
    const pop3 = await start();
    const uids = pop3.accounts.get('alice')!.messages.map((m) => m.uid);
    await withTempDir(async (dir) => {
      const stop = termination();
      const waits: number[] = [];
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--watch', '5', '--delete'], {
        ...stop,
        sleep: async (ms) => {
          waits.push(ms);
          if (waits.length === 1) uids.push(pop3.deliver('alice', newMail).uid);
          else stop.sigterm();
        },
      });
      expect(result.code).toBe(0);
      expect(waits).toEqual([300_000, 300_000]);
      expect(result.stdout).toBe(
        `Saved 2, skipped 0 (already saved), failed 0, deleted 2 from the server — in ${dir}\n` +
          `Saved 1, skipped 0 (already saved), failed 0, deleted 1 from the server — in ${dir}\n`,
      );
      expect(result.stderr).toContain('webpop: watching: the next check is in 5 min\n');
      expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
        'webpop: stopped (SIGTERM); nothing is left half done',
      );
      expect((await readdir(dir)).sort()).toEqual(uids.map(fileNameForUid).sort());
      expect(pop3.accounts.get('alice')!.messages).toEqual([]);
    });
  });

  it('a failed run is reported and the next one tries again; the wait honours LOGIN-DELAY', async () => {
    let failLogin = true;
    const pop3 = await start({
      onCommand: (ctx) => {
        // The first session's login meets a lock; CAPA after login announces LOGIN-DELAY 900.
        if (ctx.command === 'AUTH' && failLogin) {
          failLogin = false;
          ctx.write('-ERR [IN-USE] Mailbox locked by another session\r\n');
          return true;
        }
        if (ctx.command === 'CAPA' && ctx.state === 'TRANSACTION') {
          ctx.write('+OK\r\nTOP\r\nUIDL\r\nPIPELINING\r\nRESP-CODES\r\nLOGIN-DELAY 900\r\n.\r\n');
          return true;
        }
        return false;
      },
    });
    await withTempDir(async (dir) => {
      const stop = termination();
      const waits: number[] = [];
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--watch', '5'], {
        ...stop,
        sleep: async (ms) => {
          waits.push(ms);
          if (waits.length === 2) stop.sigterm();
        },
      });
      expect(result.code).toBe(0);
      // No LOGIN-DELAY learnt from the failed login: the interval; then the server's 900 s.
      expect(waits).toEqual([300_000, 900_000]);
      expect(result.stderr).toContain('webpop: the mailbox is locked by another session [IN-USE]');
      expect(result.stderr).toContain(
        'webpop: watching: the next check is in 15 min (the server allows a login only every 900 s: LOGIN-DELAY)\n',
      );
      expect(result.stdout).toBe(`Saved 2, skipped 0 (already saved), failed 0 — in ${dir}\n`);
    });
  });

  it('SIGTERM during a run stops it deleting nothing, exit 0; the next start deletes what it saved', async () => {
    let holdRetr2 = true;
    const pop3 = await start({
      features: { pipelining: false },
      onCommand: (ctx) => {
        if (ctx.command === 'RETR' && ctx.args[0] === '2' && holdRetr2) {
          holdRetr2 = false;
          return true;
        }
        return false;
      },
    });
    await withTempDir(async (dir) => {
      const stop = termination();
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--watch', '5', '--delete'], {
        ...stop,
        onStderr: (text) => {
          if (text.includes('saved 1/2:')) stop.sigterm();
        },
        sleep: () => Promise.reject(new Error('no wait expected')),
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        /webpop: interrupted; nothing was deleted from the server \(POP3 deletes only at a completed QUIT\); the 1 message\(s\) saved stay in /,
      );
      expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
        'webpop: stopped (SIGTERM); nothing is left half done',
      );
      expect(commandsSince(pop3, 0).some((command) => /^(DELE|QUIT)/.test(command))).toBe(false);

      const next = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(JSON.parse(next.stdout)).toMatchObject({ saved: 1, skipped: 1, deleted: 2, failed: 0 });
      expect(pop3.accounts.get('alice')!.messages).toEqual([]);
    });
  });

  it('Ctrl-C while waiting exits 130', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const stop = termination();
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--watch', '1'], {
        ...stop,
        sleep: async () => stop.sigint(),
      });
      expect(result.code).toBe(130);
      expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('webpop: interrupted');
    });
  });

  it('a mistake in the call stops it at once (exit 2), and so do bad intervals', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const noPassword = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--watch', '5'], {
        env: { XDG_STATE_HOME: stateHome() },
        sleep: () => Promise.reject(new Error('no wait expected')),
      });
      expect(noPassword.code).toBe(2);
      expect(noPassword.stderr).toMatch(/^webpop: no password/);
    });
    for (const interval of ['0', '-1', 'soon', '10081']) {
      const result = await webpop(['fetch', '--host', 'h', '--user', 'u', '--out', 'x', '--watch', interval]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^webpop: (--watch must be a number of minutes|option '--watch')/);
    }
  });
});
