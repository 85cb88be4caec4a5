import { execFileSync } from 'node:child_process';
import { readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { splitMbox } from '@webpop/mailfile';
import { toCrlf } from '@webpop/testkit';
import { commandsSince, PASSWORD, serverArgs, serverPerTest, webpop, withTempDir } from './helpers.js';
import { standardMailbox } from './messages.js';

/** A message whose body has lines an mbox must quote (`From `, `>From `) and a Return-Path. */
const fromLines = Buffer.from(
  'Return-Path: <list-bounces@example.net>\r\nFrom: list@example.net\r\nSubject: quoting\r\n\r\n' +
    'From the top.\r\n>From quoted once.\r\n>>From twice.\r\nFrom\r\n',
);
const given = [...standardMailbox(), fromLines];

const start = serverPerTest({ accounts: [{ username: 'alice', password: PASSWORD, messages: given }] });

describe('webpop fetch --mbox FILE', () => {
  it('appends mboxrd that reads back exactly (the server’s CRLF kept), by mailparser and by Python’s mailbox', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const mbox = join(dir, 'mail', 'inbox');
      const run = await webpop(['fetch', ...serverArgs(pop3), '--mbox', mbox, '--json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ saved: 7, failed: 0, out: mbox });
      expect((await stat(mbox)).mode & 0o777).toBe(0o600);
      const messages = splitMbox(await readFile(mbox));
      expect(messages.map((message) => Buffer.from(message.bytes))).toEqual(
        given.map((message) => Buffer.from(toCrlf(message))),
      );
      expect(messages.at(-1)!.from.sender).toBe('list-bounces@example.net');
      expect(messages[0]!.from.sender).toBe('MAILER-DAEMON');
      const parsed = await simpleParser(Buffer.from(messages.at(-1)!.bytes));
      expect(parsed.text).toContain('>From quoted once.');

      // Python's mailbox module (mboxo reading: it finds every message; the quoting is its own).
      const python = execFileSync(
        'python3',
        [
          '-c',
          'import mailbox, sys, json; print(json.dumps([m["subject"] for m in mailbox.mbox(sys.argv[1])]))',
          mbox,
        ],
        { encoding: 'utf8' },
      );
      const subjects = JSON.parse(python) as string[];
      expect(subjects).toHaveLength(7);
      expect(subjects.at(-1)).toBe('quoting');
      expect(subjects[3]).toBe('dots');
      // The lock is gone.
      await expect(stat(`${mbox}.lock`)).rejects.toThrow();

      // Again: the state file says all are delivered; nothing is downloaded or appended.
      const before = await readFile(mbox);
      const mark = pop3.commandLog.length;
      const again = await webpop(['fetch', ...serverArgs(pop3), '--mbox', mbox, '--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ saved: 0, skipped: 7 });
      expect(commandsSince(pop3, mark).filter((command) => command.startsWith('RETR'))).toEqual([]);
      expect((await readFile(mbox)).equals(before)).toBe(true);

      // --delete later: the records prove the deliveries (the reader may have moved the mail since).
      await writeFile(mbox, '');
      const deleting = await webpop(['fetch', ...serverArgs(pop3), '--mbox', mbox, '--delete', '--json']);
      expect(deleting.code).toBe(0);
      expect(JSON.parse(deleting.stdout)).toMatchObject({ saved: 0, skipped: 7, deleted: 7 });
      expect(pop3.accounts.get('alice')!.messages).toHaveLength(0);
    });
  });

  it('starts a new message in an mbox that lacks its final blank line', async () => {
    const pop3 = await start({
      accounts: [{ username: 'alice', password: PASSWORD, messages: [fromLines] }],
    });
    await withTempDir(async (dir) => {
      const mbox = join(dir, 'inbox');
      await writeFile(mbox, 'From someone Tue Dec  1 10:00:00 2026\nSubject: old\n\nno blank line after me');
      const run = await webpop(['fetch', ...serverArgs(pop3), '--mbox', mbox]);
      expect(run.code).toBe(0);
      const messages = splitMbox(await readFile(mbox));
      expect(messages).toHaveLength(2);
      expect(Buffer.from(messages[1]!.bytes).equals(fromLines)).toBe(true);
    });
  });

  it('waits for another program’s dotlock, and delivers once it is released', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const mbox = join(dir, 'inbox');
      await writeFile(`${mbox}.lock`, '4242\n');
      let released: Promise<void> | undefined;
      const run = await webpop(['fetch', ...serverArgs(pop3), '--mbox', mbox], {
        onStderr: (text) => {
          if (!released && text.includes(`waiting for ${mbox}.lock`)) {
            released = unlink(`${mbox}.lock`);
          }
        },
      });
      expect(released).toBeDefined();
      expect(run.code).toBe(0);
      expect(splitMbox(await readFile(mbox))).toHaveLength(7);
    });
  });

  it('removes a stale dotlock (a dead holder’s, older than 1024 s) without waiting', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const mbox = join(dir, 'inbox');
      await writeFile(`${mbox}.lock`, '4242\n');
      const old = new Date(Date.now() - 2_000_000);
      await utimes(`${mbox}.lock`, old, old);
      const run = await webpop(['fetch', ...serverArgs(pop3), '--mbox', mbox]);
      expect(run.code).toBe(0);
      expect(run.stderr).not.toContain('waiting for');
      expect(splitMbox(await readFile(mbox))).toHaveLength(7);
    });
  });

  it('one destination only', async () => {
    const run = await webpop(['fetch', '--host', 'h', '--user', 'u', '--mbox', 'a', '--maildir', 'b']);
    const three = await webpop([
      'fetch',
      '--host',
      'h',
      '--user',
      'u',
      '--mbox',
      'a',
      '--out',
      'b',
      '--mda',
      'c',
    ]);
    expect(three.stderr).toContain('fetch takes --out DIR or --mbox FILE or --mda CMD, only one of them');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('fetch takes --maildir DIR or --mbox FILE, not both');
  });
});
