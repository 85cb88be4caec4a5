import { readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCrlf } from '@webpop/testkit';
import { parseHeaderLines, parseMailDate } from '@webpop/pop3/mail';
import { commandsSince, PASSWORD, serverArgs, serverPerTest, webpop, withTempDir } from './helpers.js';
import { standardMailbox } from './messages.js';

const start = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }],
});

/** Maildir unique names as the specification has them: time.M<usec>P<pid>Q<n>R<random>.host */
const uniqueName = /^\d+\.M\d+P\d+Q\d+R[0-9a-f]{16}\.[^/:]+$/;

describe('webpop fetch --maildir', () => {
  it('delivers each message byte-exact into new/ under a unique name, its mtime the message date', async () => {
    const pop3 = await start();
    const given = standardMailbox().map((message) => Buffer.from(toCrlf(message)));
    await withTempDir(async (dir) => {
      const maildir = join(dir, 'Maildir');
      const result = await webpop(['fetch', ...serverArgs(pop3), '--maildir', maildir, '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ saved: 6, failed: 0, out: maildir });
      expect(await readdir(join(maildir, 'tmp'))).toEqual([]);
      expect(await readdir(join(maildir, 'cur'))).toEqual([]);
      const names = await readdir(join(maildir, 'new'));
      expect(names).toHaveLength(6);
      for (const name of names) expect(name).toMatch(uniqueName);
      const saved = await Promise.all(names.map((name) => readFile(join(maildir, 'new', name))));
      for (const message of given) expect(saved.filter((file) => file.equals(message))).toHaveLength(1);
      let dated = 0;
      for (const [index, name] of names.entries()) {
        const date = parseMailDate(parseHeaderLines(saved[index]!).find(([key]) => key === 'date')?.[1]);
        if (date === undefined) continue;
        dated++;
        expect((await stat(join(maildir, 'new', name))).mtimeMs).toBe(date);
      }
      expect(dated).toBeGreaterThanOrEqual(3);

      const mark = pop3.commandLog.length;
      const again = await webpop(['fetch', ...serverArgs(pop3), '--maildir', maildir, '--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ saved: 0, skipped: 6 });
      expect(commandsSince(pop3, mark).some((command) => command.startsWith('RETR'))).toBe(false);
    });
  });

  it('--delete later finds the messages a reader moved to cur/ with flags, and deletes them', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const maildir = join(dir, 'Maildir');
      expect((await webpop(['fetch', ...serverArgs(pop3), '--maildir', maildir])).code).toBe(0);
      const names = await readdir(join(maildir, 'new'));
      // A reader reads two of them: new/ → cur/ with ":2,S" (seen); the flags are the reader's.
      for (const name of names.slice(0, 2)) {
        await rename(join(maildir, 'new', name), join(maildir, 'cur', `${name}:2,S`));
      }
      const result = await webpop(['fetch', ...serverArgs(pop3), '--maildir', maildir, '--delete', '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ saved: 0, skipped: 6, deleted: 6, failed: 0 });
      expect(pop3.accounts.get('alice')!.messages).toEqual([]);
      expect((await readdir(join(maildir, 'cur'))).sort()).toEqual(
        names
          .slice(0, 2)
          .map((n) => `${n}:2,S`)
          .sort(),
      );
    });
  });

  it('--out and --maildir together are refused', async () => {
    const result = await webpop(['fetch', '--host', 'h', '--user', 'u', '--out', 'a', '--maildir', 'b']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('fetch takes --out DIR or --maildir DIR, not both');
  });
});
