import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningPop3Server } from '@webpop/testkit';
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
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }],
});

const dayMs = 86_400_000;

function statePath(pop3: RunningPop3Server): string {
  return join(stateHome(), 'webpop', 'fetch', `alice%40${pop3.host}%3A${pop3.port}.jsonl`);
}

/** Makes the records of `uids` look `days` days old (as if an earlier run had saved them then). */
async function ageRecords(path: string, uids: readonly string[], days: number): Promise<void> {
  const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
  const aged = lines.map((line) => {
    const record = JSON.parse(line) as { uid: string; savedAt: string };
    if (uids.includes(record.uid)) record.savedAt = new Date(Date.now() - days * dayMs).toISOString();
    return JSON.stringify(record);
  });
  await writeFile(path, `${aged.join('\n')}\n`);
}

describe('webpop fetch --keep-days N', () => {
  it('keeps new mail on the server and deletes only what was saved more than N days ago', async () => {
    const pop3 = await start();
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      const first = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--keep-days', '7']);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(
        'Saved 6, skipped 0 (already saved), failed 0, deleted 0 from the server, kept 6 on the server (saved less than 7 days ago)',
      );
      expect(commandsSince(pop3, 0).some((command) => command.startsWith('DELE'))).toBe(false);

      // Two of them saved 8 days ago, one exactly 7 days ago less a minute: only the two are due.
      await ageRecords(statePath(pop3), [stored[0]!.uid, stored[2]!.uid], 8);
      await ageRecords(statePath(pop3), [stored[4]!.uid], 7 - 1 / 1440);
      const mark = pop3.commandLog.length;
      const second = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--keep-days', '7', '--json']);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({
        saved: 0,
        skipped: 6,
        deleted: 2,
        kept: 4,
        failed: 0,
      });
      const commands = commandsSince(pop3, mark);
      expect(commands.filter((command) => command.startsWith('RETR'))).toEqual([]);
      expect(commands.filter((command) => command.startsWith('DELE'))).toEqual(['DELE 1', 'DELE 3']);
      expect(pop3.accounts.get('alice')!.messages.map((m) => m.uid)).toEqual(
        [1, 3, 4, 5].map((index) => stored[index]!.uid),
      );
    });
  });

  it('an old record whose copy has changed is not deleted: the run says why and exits 1', async () => {
    const pop3 = await start();
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      expect((await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--keep-days', '3'])).code).toBe(0);
      await ageRecords(statePath(pop3), [stored[0]!.uid, stored[1]!.uid], 4);
      const changed = join(dir, fileNameForUid(stored[1]!.uid));
      await appendFile(changed, 'edited\r\n');

      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--keep-days', '3', '--json']);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ deleted: 1, kept: 4, failed: 1 });
      expect(summary.failures[0].error).toBe(
        `not deleted: its saved copy ${changed} has changed since it was saved (size or SHA-256 differ)`,
      );
      expect(pop3.accounts.get('alice')!.messages.map((m) => m.uid)).toEqual(
        stored.slice(1).map((m) => m.uid),
      );
    });
  });

  it.each([
    [
      ['--keep-days', '0'],
      "--keep-days must be a whole number of days from 1 (got '0'; --delete deletes at once)",
    ],
    [
      ['--keep-days', '1.5'],
      "--keep-days must be a whole number of days from 1 (got '1.5'; --delete deletes at once)",
    ],
    [
      ['--keep-days', '7', '--delete'],
      '--delete deletes what is saved at once, --keep-days N only N days after it was saved: take one',
    ],
  ])('%j is a usage error', async (extra, message) => {
    const result = await webpop(['fetch', '--host', 'localhost', '--user', 'alice', '--out', 'x', ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`webpop: ${message}\nTry 'webpop fetch --help'.\n`);
  });
});
