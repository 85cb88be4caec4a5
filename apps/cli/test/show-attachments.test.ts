import { randomBytes } from 'node:crypto';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentPart, multipartMessage, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { fitBytes, numbered } from '../src/attachments.js';
import { parseInvocation } from '../src/index.js';
import { PASSWORD, serverArgs, webpop, withTempDir } from './helpers.js';
import { attachmentBytes, standardMailbox } from './messages.js';

const binary = randomBytes(3000);
const script = Buffer.from('#!/bin/sh\necho owned\n');

/** Attachments whose names try to leave the folder, hide their real extension or clash. */
const hostileMessage = multipartMessage({
  headers: [
    'From: mallory@example.org',
    'To: alice@example.org',
    'Subject: files',
    'Date: Mon, 17 Nov 2025 09:30:00 +0000',
  ],
  boundary: 'b',
  parts: [
    { type: 'text/plain; charset=utf-8', text: 'See the files.' },
    attachmentPart('application/x-sh', script, '../../escape.sh'),
    // U+202E turns "invoice\u202Efdp.exe" into "invoiceexe.pdf" on screen; U+200B hides in a name.
    attachmentPart('application/octet-stream', binary, 'invoice\u202Efdp\u200B.exe'),
    attachmentPart('application/octet-stream', binary, '.hidden'),
    attachmentPart('text/plain', Buffer.from('one\n'), '=?utf-8?Q?tab=09name=0A.txt?='),
    attachmentPart('application/octet-stream', Buffer.from('first'), 'same.bin'),
    attachmentPart('application/octet-stream', Buffer.from('second'), 'same.bin'),
    attachmentPart('application/octet-stream', Buffer.from('no name'), undefined),
  ],
});

let server: RunningPop3Server;
const hostileNumber = standardMailbox().length + 1;
beforeAll(async () => {
  server = await startPop3Server({
    accounts: [{ username: 'alice', password: PASSWORD, messages: [...standardMailbox(), hostileMessage] }],
  });
});
afterAll(() => server.close());

const uidOf = (number: number) => server.accounts.get('alice')!.messages[number - 1]!.uid;

describe('show --uid UIDL', () => {
  it('shows the message with that UIDL, whatever its number', async () => {
    const byNumber = await webpop(['show', '5', ...serverArgs(server)]);
    const byUid = await webpop(['show', '--uid', uidOf(5), ...serverArgs(server)]);
    expect(byUid.code).toBe(0);
    expect(byUid.stdout).toBe(byNumber.stdout);
    expect(byUid.stdout).toContain('Subject: Quarterly report – Q3');
    const raw = await webpop(['show', '--uid', uidOf(4), '--raw', ...serverArgs(server)]);
    expect(raw.stdoutBytes.equals(Buffer.from(server.accounts.get('alice')!.messages[3]!.bytes))).toBe(true);
  });

  it('an unknown UIDL is a clear error, and nothing is downloaded', async () => {
    const start = server.commandLog.length;
    const result = await webpop(['show', '--uid', 'no-such-uid', ...serverArgs(server)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'webpop: no message on the server has the UIDL "no-such-uid" (webpop list shows each message\'s UIDL)\n',
    );
    expect(server.commandLog.slice(start).map((entry) => entry.command)).not.toContainEqual(
      expect.stringMatching(/^RETR/),
    );
    const json = await webpop(['show', '--uid', 'no-such-uid', ...serverArgs(server), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      exitCode: 1,
      error: expect.stringContaining('no-such-uid'),
    });
  });

  it.each([
    [['show', '3', '--uid', 'x'], "show takes a message number or --uid UIDL, not both (got '3' and --uid)"],
    [['show', '--uid', ''], '--uid needs the UIDL of a message (see webpop list)'],
    [
      ['show'],
      'show needs the number of a message or its UIDL, e.g. webpop show 1 or webpop show --uid 000000016b0ef164',
    ],
    [
      ['show', '1', '--raw', '--save-attachments', 'x'],
      '--raw prints the message as it is; --save-attachments DIR needs it parsed: take one',
    ],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseInvocation([...argv, '--host', 'h', '--user', 'u'])).toThrow(message);
  });
});

describe('show --save-attachments DIR', () => {
  it('writes the decoded bytes of each attachment and says where', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'files');
      const result = await webpop(['show', '5', ...serverArgs(server), '--save-attachments', out]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `  1. report-Q3.pdf  application/pdf  ${attachmentBytes.length} B  saved as ${join(out, 'report-Q3.pdf')}\n`,
      );
      expect((await readFile(join(out, 'report-Q3.pdf'))).equals(attachmentBytes)).toBe(true);
    });
  });

  it('keeps every name inside the folder, strips invisible characters, never overwrites', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'same.bin'), 'mine');
      // A link planted under the name an attachment will want: followed, it would write elsewhere.
      await symlink(join(dir, '..', 'elsewhere'), join(dir, 'escape.sh'));
      const result = await webpop(
        ['show', String(hostileNumber), ...serverArgs(server), '--json'].concat(['--save-attachments', dir]),
      );
      expect(result.code).toBe(0);
      const saved = JSON.parse(result.stdout).attachments.map((entry: { savedAs: string }) => entry.savedAs);
      expect(saved).toEqual(
        [
          'escape (2).sh',
          'invoicefdp.exe',
          'hidden',
          'tabname.txt',
          'same (2).bin',
          'same (3).bin',
          'attachment',
        ].map((name) => join(dir, name)),
      );
      expect((await readFile(join(dir, 'escape (2).sh'))).equals(script)).toBe(true);
      expect((await readFile(join(dir, 'invoicefdp.exe'))).equals(binary)).toBe(true);
      expect(await readFile(join(dir, 'same.bin'), 'utf8')).toBe('mine');
      expect(await readFile(join(dir, 'same (2).bin'), 'utf8')).toBe('first');
      expect(await readFile(join(dir, 'same (3).bin'), 'utf8')).toBe('second');
      expect(await readFile(join(dir, 'attachment'), 'utf8')).toBe('no name');
      expect((await readdir(join(dir, '..'))).sort()).toEqual(['out']);
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });
  });
});

describe('attachment file names', () => {
  it('numbered copies keep the extension', () => {
    expect(numbered('a.pdf', 1)).toBe('a.pdf');
    expect(numbered('a.pdf', 2)).toBe('a (2).pdf');
    expect(numbered('README', 3)).toBe('README (3)');
  });

  it('are cut to a number of UTF-8 bytes, keeping the extension and whole characters', () => {
    const name = `${'ж'.repeat(150)}.pdf`;
    const cut = fitBytes(name, 200);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(200);
    expect(cut).toBe(`${'ж'.repeat(98)}.pdf`);
    expect(fitBytes('short.txt', 200)).toBe('short.txt');
    expect(fitBytes('😀'.repeat(60), 200)).toBe('😀'.repeat(50));
  });
});
