import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RunningPop3Server } from '@webpop/testkit';
import type { MessageEntry } from '@webpop/pop3';
import { proveSaved } from '../src/delete-proof.js';
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
  accounts: [
    { username: 'alice', password: PASSWORD, messages: standardMailbox() },
    { username: 'bob', password: PASSWORD, messages: standardMailbox() },
  ],
});

/** The default state file of `user` on this server (under the test's XDG_STATE_HOME). */
function statePath(pop3: RunningPop3Server, user = 'alice'): string {
  return join(stateHome(), 'webpop', 'fetch', `${user}%40${pop3.host}%3A${pop3.port}.jsonl`);
}

async function stateRecords(path: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path, 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function savedBytes(dir: string, uid: string): Promise<Buffer> {
  return readFile(join(dir, fileNameForUid(uid)));
}

describe('webpop fetch --delete across runs (the state file)', () => {
  it('an interrupted --delete, then a clean run: the mailbox is empty and every message saved exactly once', async () => {
    // No pipelining, and the first RETR 4 is never answered: the first run has saved exactly 1–3
    // when the interrupt comes (on its "saved 3/6" line).
    let holdRetr4 = true;
    const pop3 = await start({
      features: { pipelining: false },
      onCommand: (ctx) => {
        if (ctx.command === 'RETR' && ctx.args[0] === '4' && holdRetr4) {
          holdRetr4 = false;
          return true;
        }
        return false;
      },
    });
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      const interrupt = new AbortController();
      const first = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete'], {
        signal: interrupt.signal,
        onStderr: (text) => {
          if (text.includes('saved 3/6:')) interrupt.abort();
        },
      });
      expect(first.code).toBe(130);
      expect(first.stderr.trimEnd().split('\n').at(-1)).toMatch(
        /^webpop: interrupted; nothing was deleted from the server \(POP3 deletes only at a completed QUIT\); the 3 message\(s\) saved stay in /,
      );
      expect(commandsSince(pop3, 0).some((command) => /^(DELE|QUIT)/.test(command))).toBe(false);
      expect((await readdir(dir)).sort()).toEqual(
        stored
          .slice(0, 3)
          .map((m) => fileNameForUid(m.uid))
          .sort(),
      );
      expect((await stateRecords(statePath(pop3))).map((record) => record.uid)).toEqual(
        stored.slice(0, 3).map((m) => m.uid),
      );

      const mark = pop3.commandLog.length;
      const second = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ saved: 3, skipped: 3, deleted: 6, failed: 0 });
      const commands = commandsSince(pop3, mark);
      expect(commands.filter((command) => command.startsWith('RETR'))).toEqual([
        'RETR 4',
        'RETR 5',
        'RETR 6',
      ]);
      expect(commands.filter((command) => command.startsWith('DELE'))).toHaveLength(6);
      expect(commands.at(-1)).toBe('QUIT');
      expect(pop3.accounts.get('alice')!.messages).toEqual([]);

      // Every message saved exactly once: one file and one record each, byte-identical, with its SHA-256.
      expect((await readdir(dir)).sort()).toEqual(stored.map((m) => fileNameForUid(m.uid)).sort());
      for (const message of stored) {
        expect((await savedBytes(dir, message.uid)).equals(Buffer.from(message.bytes))).toBe(true);
      }
      const records = await stateRecords(statePath(pop3));
      expect(records.map((record) => record.uid)).toEqual(stored.map((m) => m.uid));
      for (const [index, record] of records.entries()) {
        expect(record).toMatchObject({
          size: stored[index]!.bytes.length,
          sha256: createHash('sha256').update(stored[index]!.bytes).digest('hex'),
          file: join(dir, fileNameForUid(stored[index]!.uid)),
        });
      }

      // The next run finds nothing and drops the records of the deleted messages.
      const third = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(JSON.parse(third.stdout)).toMatchObject({ saved: 0, skipped: 0, deleted: 0, failed: 0 });
      expect(await readFile(statePath(pop3), 'utf8')).toBe('');
    });
  });

  it('a saved file changed or removed since: that message is not deleted, and the run says why', async () => {
    const pop3 = await start();
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      expect((await webpop(['fetch', ...serverArgs(pop3), '--out', dir])).code).toBe(0);
      const changed = join(dir, fileNameForUid(stored[1]!.uid));
      const removed = join(dir, fileNameForUid(stored[3]!.uid));
      await appendFile(changed, 'one more line\r\n');
      await rm(removed);

      const mark = pop3.commandLog.length;
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ saved: 0, skipped: 6, deleted: 4, failed: 2 });
      expect(summary.failures).toEqual([
        {
          number: 2,
          uid: stored[1]!.uid,
          error: `not deleted: its saved copy ${changed} has changed since it was saved (size or SHA-256 differ)`,
        },
        {
          number: 4,
          uid: stored[3]!.uid,
          error: `not deleted: its saved copy ${removed} is gone (moved or removed), so it cannot be checked`,
        },
      ]);
      expect(result.stderr).toContain(`webpop: message 2 not deleted: its saved copy ${changed} has changed`);
      expect(result.stderr).toContain(`webpop: message 4 not deleted: its saved copy ${removed} is gone`);
      // The removed one is not downloaded again (the state file says it was saved).
      const commands = commandsSince(pop3, mark);
      expect(commands.filter((command) => command.startsWith('RETR'))).toEqual([]);
      expect(commands.filter((command) => command.startsWith('DELE'))).toEqual([
        'DELE 1',
        'DELE 3',
        'DELE 5',
        'DELE 6',
      ]);
      expect(pop3.accounts.get('alice')!.messages.map((m) => m.uid)).toEqual([
        stored[1]!.uid,
        stored[3]!.uid,
      ]);
    });
  });

  it('the state file survives a move of the delivered files: nothing is downloaded again', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const state = join(stateHome(), 'elsewhere', 'alice.jsonl');
      expect((await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--state', state])).code).toBe(0);
      const sorted = join(dir, '..', 'sorted');
      await mkdir(sorted);
      for (const name of await readdir(dir)) await rename(join(dir, name), join(sorted, name));
      const fresh = pop3.deliver('alice', Buffer.from('Subject: new\r\n\r\nnew mail\r\n'));

      const mark = pop3.commandLog.length;
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--state', state, '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ saved: 1, skipped: 6, failed: 0 });
      expect(commandsSince(pop3, mark).filter((command) => command.startsWith('RETR'))).toEqual(['RETR 7']);
      expect(await readdir(dir)).toEqual([fileNameForUid(fresh.uid)]);
      expect((await stateRecords(state)).map((record) => record.uid)).toHaveLength(7);
    });
  });

  it('one state file per account: two accounts into one folder never prove each other', async () => {
    // Both mailboxes use the same UIDLs (m1…m6), as two servers' counters can; Bob's messages differ.
    const bobs = standardMailbox().map((message) => Buffer.concat([Buffer.from('X-For: bob\r\n'), message]));
    const pop3 = await start({
      accounts: [
        { username: 'alice', password: PASSWORD, messages: standardMailbox() },
        { username: 'bob', password: PASSWORD, messages: bobs },
      ],
      quirks: { uidl: Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [n, `m${n}`])) },
    });
    const alices = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      const alice = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--json']);
      expect(JSON.parse(alice.stdout)).toMatchObject({ saved: 6, failed: 0 });

      // Bob's UIDLs name Alice's files, and Alice's records are no proof for Bob: each is downloaded
      // again and compared, found different, and neither deleted nor written.
      const mark = pop3.commandLog.length;
      const bob = await webpop(['fetch', ...serverArgs(pop3, 'bob'), '--out', dir, '--delete', '--json']);
      expect(bob.code).toBe(1);
      const summary = JSON.parse(bob.stdout);
      expect(summary).toMatchObject({ saved: 0, skipped: 6, deleted: 0, failed: 6 });
      expect(summary.failures[0]).toEqual({
        number: 1,
        uid: 'm1',
        error: 'not deleted: m1.eml differs from the message on the server, so both are left alone',
      });
      expect(commandsSince(pop3, mark).filter((command) => command.startsWith('RETR'))).toHaveLength(6);
      expect(commandsSince(pop3, mark).some((command) => command.startsWith('DELE'))).toBe(false);
      expect(bob.stderr).toContain('0 to download, 6 already saved');
      expect(pop3.accounts.get('bob')!.messages).toHaveLength(6);
      for (const [index, message] of alices.entries()) {
        expect((await savedBytes(dir, `m${index + 1}`)).equals(Buffer.from(message.bytes))).toBe(true);
      }
      // Bob has recorded nothing; Alice's state file is hers alone.
      expect(await readdir(join(stateHome(), 'webpop', 'fetch'))).toEqual([
        statePath(pop3).split('/').at(-1),
      ]);

      // Alice's own --delete then proves her files by her records and deletes them.
      const again = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ saved: 0, skipped: 6, deleted: 6, failed: 0 });
      expect(pop3.accounts.get('alice')!.messages).toEqual([]);
    });
  });

  it('a state file that cannot be read stops the run before it connects', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      // A folder where the state file should be.
      const state = join(stateHome(), 'in-the-way');
      await mkdir(state, { recursive: true });
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--state', state]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`webpop: cannot read the state file ${state}`);
      expect(pop3.connectionCount).toBe(0);
    });
  });
});

describe('proveSaved', () => {
  const record = { uid: 'u1', size: 5, sha256: '0'.repeat(64), file: '/nonexistent/u1.eml', savedAt: '' };
  const entry = (size: number): MessageEntry => ({ number: 1, size, uid: 'u1' }) as MessageEntry;

  it('is no proof when the server now gives another size for the UIDL', async () => {
    expect(await proveSaved(entry(6), record, 'state.jsonl')).toEqual({
      proven: false,
      reason: "the server's size for it (6 bytes) differs from the 5 bytes saved",
    });
  });

  it('is no proof without a record', async () => {
    expect(await proveSaved(entry(5), undefined, 'state.jsonl')).toEqual({
      proven: false,
      reason: 'the state file state.jsonl has no record of saving it',
    });
  });
});
