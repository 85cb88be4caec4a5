import { existsSync, watch } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCrlf } from '@webpop/testkit';
import { emlFileName } from '@webpop/mailfile';
import { fileNameForUid } from '../src/index.js';
import { commandsSince, PASSWORD, serverArgs, serverPerTest, webpop, withTempDir } from './helpers.js';
import { standardMailbox } from './messages.js';

const start = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }],
});

describe('webpop fetch', () => {
  it('saves every message byte-exact as <uidl>.eml, then a second run downloads nothing', async () => {
    const pop3 = await start();
    const given = standardMailbox().map((message) => Buffer.from(toCrlf(message)));
    await withTempDir(async (dir) => {
      const first = await webpop(['fetch', ...serverArgs(pop3), '--out', dir]);
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(`Saved 6, skipped 0 (already saved), failed 0 — in ${dir}\n`);
      expect(first.stderr).toContain('6 to download, 0 already saved');
      expect(first.stderr).toMatch(/saved 6\/6: message 6 → \S+\.eml/);
      const stored = pop3.accounts.get('alice')!.messages;
      expect((await readdir(dir)).sort()).toEqual(stored.map((message) => `${message.uid}.eml`).sort());
      for (const [index, message] of stored.entries()) {
        const saved = await readFile(join(dir, `${message.uid}.eml`));
        expect(saved.equals(given[index]!)).toBe(true);
      }

      const mark = pop3.commandLog.length;
      const second = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--json']);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({
        saved: 0,
        skipped: 6,
        deleted: 0,
        failed: 0,
        failures: [],
      });
      const commands = commandsSince(pop3, mark);
      expect(commands).toContain('UIDL');
      expect(commands.filter((command) => /^(RETR|TOP|DELE)/.test(command))).toEqual([]);
      // Nothing left behind but the messages (no temporary files).
      expect(await readdir(dir)).toHaveLength(6);
    });
  });

  it('resumes: only the messages without a file are downloaded', async () => {
    const pop3 = await start();
    const stored = pop3.accounts.get('alice')!.messages;
    await withTempDir(async (dir) => {
      await writeFile(join(dir, fileNameForUid(stored[1]!.uid)), stored[1]!.bytes);
      await writeFile(join(dir, fileNameForUid(stored[4]!.uid)), stored[4]!.bytes);
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--json']);
      expect(JSON.parse(result.stdout)).toMatchObject({ saved: 4, skipped: 2, failed: 0 });
      expect(commandsSince(pop3, 0).filter((command) => command.startsWith('RETR'))).toEqual([
        'RETR 1',
        'RETR 3',
        'RETR 4',
        'RETR 6',
      ]);
    });
  });

  it('--delete deletes what it saved, and a file with no record only once downloaded again and found identical', async () => {
    const pop3 = await start();
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      // Messages 2 and 5 were saved without a record (by hand, say); 5's file is not that message.
      await writeFile(join(dir, fileNameForUid(stored[1]!.uid)), stored[1]!.bytes);
      await writeFile(join(dir, fileNameForUid(stored[4]!.uid)), stored[0]!.bytes);
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ saved: 4, skipped: 2, deleted: 5, failed: 1 });
      expect(summary.failures).toEqual([
        {
          number: 5,
          uid: stored[4]!.uid,
          error: `not deleted: ${fileNameForUid(stored[4]!.uid)} differs from the message on the server, so both are left alone`,
        },
      ]);
      expect(pop3.accounts.get('alice')!.messages.map((message) => message.uid)).toEqual([stored[4]!.uid]);
      const commands = commandsSince(pop3, 0);
      expect(commands.filter((command) => command.startsWith('RETR'))).toHaveLength(6);
      expect(commands.filter((command) => command.startsWith('DELE'))).toEqual([
        'DELE 1',
        'DELE 2',
        'DELE 3',
        'DELE 4',
        'DELE 6',
      ]);
      expect(commands.at(-1)).toBe('QUIT');
      for (const message of stored.filter((_, index) => index !== 4)) {
        expect(
          (await readFile(join(dir, fileNameForUid(message.uid)))).equals(Buffer.from(message.bytes)),
        ).toBe(true);
      }
      // The file in the way is never overwritten.
      expect(
        (await readFile(join(dir, fileNameForUid(stored[4]!.uid)))).equals(Buffer.from(stored[0]!.bytes)),
      ).toBe(true);
    });
  });

  it('a connection dropped mid-RETR: clear error, nothing deleted, the next run resumes', async () => {
    const pop3 = await start({
      faults: { dropAfterCommand: { command: 'RETR', after: 3, midResponseBytes: 40 } },
    });
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      const broken = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete']);
      expect(broken.code).toBe(1);
      const errorLine = broken.stderr.trimEnd().split('\n').at(-1)!;
      expect(errorLine).toMatch(
        /^webpop: connection lost: the server closed the connection in the middle of the reply to RETR 3/,
      );
      expect(errorLine).toContain(
        'nothing was deleted from the server (POP3 deletes only at a completed QUIT)',
      );
      expect(errorLine).toContain(`the 2 message(s) saved stay in ${dir}`);
      expect(broken.stdout).toContain(
        'Saved 2, skipped 0 (already saved), failed 0, deleted 0 from the server',
      );
      expect(pop3.commandLog.some((entry) => entry.command.startsWith('DELE'))).toBe(false);
      expect(pop3.accounts.get('alice')!.messages).toHaveLength(6);
      // No partial file: message 3 has no file, not even a temporary one.
      expect((await readdir(dir)).sort()).toEqual(
        [stored[0]!, stored[1]!].map((m) => fileNameForUid(m.uid)).sort(),
      );

      const mark = pop3.commandLog.length;
      const resumed = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(resumed.code).toBe(0);
      // The 2 saved by the broken run are proven by the state file and deleted too.
      expect(JSON.parse(resumed.stdout)).toMatchObject({ saved: 4, skipped: 2, deleted: 6, failed: 0 });
      expect(commandsSince(pop3, mark).filter((command) => command.startsWith('RETR'))).toEqual([
        'RETR 3',
        'RETR 4',
        'RETR 5',
        'RETR 6',
      ]);
      expect(pop3.accounts.get('alice')!.messages).toEqual([]);
    });
  });

  it('a message the server refuses is reported; the others are saved and only they are deleted', async () => {
    const pop3 = await start({
      onCommand: (ctx) => {
        if (ctx.command === 'RETR' && ctx.args[0] === '2') {
          ctx.write('-ERR [SYS/TEMP] message 2 is being scanned\r\n');
          return true;
        }
        return false;
      },
    });
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ saved: 5, skipped: 0, deleted: 5, failed: 1 });
      expect(summary.failures).toEqual([
        { number: 2, uid: stored[1]!.uid, error: expect.stringContaining('message 2 is being scanned') },
      ]);
      expect(pop3.accounts.get('alice')!.messages.map((m) => m.uid)).toEqual([stored[1]!.uid]);
    });
  });

  it('refuses a server without UIDL, deleting nothing', async () => {
    const pop3 = await start({ features: { uidl: false } });
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/webpop: .*has no UIDL.*resumable backup would be unsafe/);
      expect(pop3.commandLog.some((entry) => /^(RETR|DELE)/.test(entry.command))).toBe(false);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('percent-encodes UIDL characters that are unsafe in a file name', async () => {
    const uids = ['a/b', '.hidden', 'x*y%z:', '..', 'ok-1.2_3', 'ü'];
    const pop3 = await start({
      onCommand: (ctx) => {
        if (ctx.command === 'UIDL' && ctx.args.length === 0) {
          ctx.write(`+OK\r\n${uids.map((uid, index) => `${index + 1} ${uid}`).join('\r\n')}\r\n.\r\n`);
          return true;
        }
        return false;
      },
    });
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir]);
      expect(result.stderr).not.toContain('webpop:');
      expect((await readdir(dir)).sort()).toEqual(
        ['a%2Fb.eml', '%2Ehidden.eml', 'x%2Ay%25z%3A.eml', '%2E..eml', 'ok-1.2_3.eml', '%C3%BC.eml'].sort(),
      );
      expect(existsSync(join(dir, 'a'))).toBe(false);
    });
  });

  it('Ctrl-C (the abort signal) stops at once: exit 130, nothing deleted', async () => {
    const pop3 = await start({ faults: { bytesPerSecond: 1500 } });
    await withTempDir(async (dir) => {
      const interrupt = new AbortController();
      // Ctrl-C as the first message file appears (the throttled server has five more to send).
      const watcher = watch(dir, () => interrupt.abort());
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete'], {
        signal: interrupt.signal,
      }).finally(() => watcher.close());
      expect(result.code).toBe(130);
      expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(
        /^webpop: interrupted; nothing was deleted from the server \(POP3 deletes only at a completed QUIT\)/,
      );
      expect(pop3.commandLog.some((entry) => /^(DELE|QUIT)/.test(entry.command))).toBe(false);
      expect(pop3.accounts.get('alice')!.messages).toHaveLength(6);
      expect((await readdir(dir)).length).toBeLessThan(6);
    });
  });

  it('draws a progress bar on a terminal', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir], {
        isTTY: true,
        columns: 100,
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('\r\u001b[2K[');
      expect(result.stderr).toMatch(/\] 6\/6 messages {2}[\d.]+ (B|KiB)\/[\d.]+ (B|KiB)/);
      // The bar is cleared before the summary.
      expect(result.stderr.endsWith('\r\u001b[2K')).toBe(true);
      expect(result.stdout).toContain('Saved 6');
    });
  });
});

describe('fileNameForUid', () => {
  // Its cases (safe characters kept, the rest as UTF-8 %XX, no leading dot) are in packages/mailfile.
  it('is @webpop/mailfile emlFileName, shared with the web export', () => {
    expect(fileNameForUid).toBe(emlFileName);
  });
});
