// `webpop` against testkit servers scripted to behave as real servers do (issue: interop and integrity).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Pop3ServerOptions } from '@webpop/testkit';
import { fileNameForUid } from '../src/index.js';
import { PASSWORD, serverArgs, serverPerTest, webpop, withTempDir } from './helpers.js';

const startServer = serverPerTest();
const start = (messages: string[], options: Partial<Pop3ServerOptions> = {}) =>
  startServer({
    accounts: [
      { username: 'alice', password: PASSWORD, messages: messages.map((m) => Buffer.from(m, 'latin1')) },
    ],
    ...options,
  });

const forgery =
  'Subject: bait\r\n\r\nline a\n.b\r\nline c\n.\r\n+OK 40 octets\r\nSubject: forged\r\n\r\nforged\r\n';
const genuine = 'Subject: genuine\r\n\r\nhello\r\n';

describe('webpop fetch: framing and integrity', () => {
  it('saves a crafted message whole and never a forgery (server passing bare LFs through)', async () => {
    const pop3 = await start([forgery, genuine], { quirks: { keepBareLf: true } });
    const stored = pop3.accounts.get('alice')!.messages;
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ saved: 2, failed: 0 });
      expect((await readdir(dir)).sort()).toEqual(stored.map((m) => fileNameForUid(m.uid)).sort());
      for (const message of stored) {
        const saved = await readFile(join(dir, fileNameForUid(message.uid)));
        expect(saved.equals(Buffer.from(message.bytes))).toBe(true);
      }
      expect(Buffer.from(stored[0]!.bytes).toString('latin1')).toBe(forgery);
    });
  });

  it('reads a server whose lines all end in a bare LF', async () => {
    const pop3 = await start([genuine, genuine.replace('genuine', 'second')], {
      quirks: { lineEnding: 'lf' },
    });
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ saved: 2, failed: 0 });
    });
  });

  it('a size that disagrees with LIST is an integrity failure: not saved, not deleted, exit 1', async () => {
    const pop3 = await start([genuine, genuine.replace('genuine', 'second')], {
      quirks: { listSizes: { 1: 3 } },
    });
    const stored = [...pop3.accounts.get('alice')!.messages];
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ saved: 1, deleted: 1, failed: 1 });
      expect(summary.failures).toEqual([
        {
          number: 1,
          uid: stored[0]!.uid,
          error: expect.stringMatching(
            /^integrity error: message 1 arrived with \d+ bytes but the server's LIST said 3.*a later run tries again$/,
          ),
        },
      ]);
      expect(await readdir(dir)).toEqual([fileNameForUid(stored[1]!.uid)]);
      expect(pop3.accounts.get('alice')!.messages.map((m) => m.uid)).toEqual([stored[0]!.uid]);
    });
  });
});

describe('webpop show --json: headers decoded field by field', () => {
  it('a stray Latin-1 byte in one field leaves the UTF-8 Subject intact, and both subjects agree', async () => {
    const message = Buffer.concat([
      Buffer.from('From: a@example.org\r\nX-Junk: caf', 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from('\r\nSubject: Grüße aus Köln\r\n\r\nbody\r\n', 'utf8'),
    ]);
    const server = await startServer({
      accounts: [{ username: 'alice', password: PASSWORD, messages: [message] }],
    });
    const result = await webpop(['show', '1', ...serverArgs(server), '--json']);
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout);
    expect(shown.subject).toBe('Grüße aus Köln');
    expect(shown.headers.subject).toBe(shown.subject);
    expect(shown.headers['x-junk']).toBe('café');
  });
});

describe('webpop: login and capabilities where other clients succeed', () => {
  it('logs in with USER/PASS where CAPA does not list USER, once plaintext is allowed', async () => {
    const pop3 = await start([genuine], {
      features: { sasl: [], apop: false },
      quirks: { unlisted: { always: ['USER'] } },
    });
    const refused = await webpop(['stat', ...serverArgs(pop3)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--allow-plaintext');
    const result = await webpop(['stat', ...serverArgs(pop3), '--allow-plaintext', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ count: 1 });
  });

  it('falls back from APOP for a user without an APOP secret, and from a pretended CRAM-MD5', async () => {
    const pop3 = await start([genuine], { quirks: { noApopSecret: ['alice'], brokenSasl: ['CRAM-MD5'] } });
    const result = await webpop(['stat', ...serverArgs(pop3), '--allow-plaintext']);
    expect(result.code).toBe(0);
    expect(pop3.commandLog.map((e) => e.command).filter((c) => /^(AUTH|APOP|USER)/.test(c))).toEqual([
      'AUTH CRAM-MD5',
      'APOP alice ***',
      'AUTH PLAIN ***',
    ]);
  });

  it('logs in with APOP against a greeting whose first <…@…> is not ASCII', async () => {
    const pop3 = await start([genuine], {
      quirks: { greeting: { text: 'hi <\u00fc@x> <1@a.b>', apopTimestamp: '<1@a.b>' } },
    });
    expect((await webpop(['stat', ...serverArgs(pop3), '--auth', 'apop'])).code).toBe(0);
  });

  it('list: a proxy listing TOP only after login is not said to lack TOP, and TOP is used', async () => {
    const pop3 = await start([genuine], { quirks: { unlisted: { beforeLogin: ['TOP'] } } });
    const result = await webpop(['list', ...serverArgs(pop3)]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('no TOP');
    expect(pop3.commandLog.map((e) => e.command)).toContain('TOP 1 0');
  });
});

describe('webpop fetch: honest results', () => {
  it('duplicate UIDLs: reported by number, neither saved, exit 1 — never a complete backup', async () => {
    const pop3 = await start(
      [genuine, genuine.replace('genuine', 'two'), genuine.replace('genuine', 'three')],
      {
        quirks: { uidl: { 2: 'same', 3: 'same' } },
      },
    );
    await withTempDir(async (dir) => {
      for (const run of [1, 2]) {
        const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--json']);
        expect(result.code, `run ${run}`).toBe(1);
        const summary = JSON.parse(result.stdout);
        expect(summary).toMatchObject({ saved: run === 1 ? 1 : 0, skipped: run === 1 ? 0 : 1, failed: 2 });
        expect(summary.failures).toEqual([
          {
            number: 2,
            uid: 'same',
            error: 'it has the same UIDL as message 3, so they cannot be told apart between runs',
          },
          {
            number: 3,
            uid: 'same',
            error: 'it has the same UIDL as message 2, so they cannot be told apart between runs',
          },
        ]);
        expect(result.stderr.match(/message 2 not saved/g)).toHaveLength(1);
      }
      expect(await readdir(dir)).toHaveLength(1);
      // And --delete deletes only the message saved under a sound id (saved by an earlier run, proven by
      // the state file); the two that share a UIDL stay.
      const deleting = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(JSON.parse(deleting.stdout)).toMatchObject({ saved: 0, skipped: 1, deleted: 1, failed: 2 });
      expect(
        pop3.commandLog.filter((entry) => entry.command.startsWith('DELE')).map((e) => e.command),
      ).toEqual(['DELE 1']);
      expect(pop3.accounts.get('alice')!.messages).toHaveLength(2);
    });
  });

  it('a message missing from UIDL is named as such; the others are saved', async () => {
    const pop3 = await start([genuine, genuine.replace('genuine', 'two')], { quirks: { uidl: { 1: null } } });
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("message 1 not saved: the server's UIDL has no entry for it");
      expect(result.stderr).not.toContain('has no UIDL');
      expect(result.stdout).toBe(`Saved 1, skipped 0 (already saved), failed 1 — in ${dir}\n`);
    });
  });

  it('QUIT answered by a close: "may or may not have deleted", in the summary and in --json', async () => {
    const pop3 = await start([genuine, genuine.replace('genuine', 'two')], { quirks: { quitCloses: true } });
    await withTempDir(async (dir) => {
      const text = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete']);
      expect(text.code).toBe(1);
      expect(text.stdout).toBe(
        `Saved 2, skipped 0 (already saved), failed 0, may or may not have deleted 2 from the server — in ${dir}\n`,
      );
      expect(text.stderr).toMatch(
        /webpop: the connection broke during QUIT .*may or may not have deleted the 2 messages marked/,
      );
    });
    pop3.deliver('alice', Buffer.from(genuine));
    await withTempDir(async (dir) => {
      const json = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--delete', '--json']);
      expect(JSON.parse(json.stdout)).toMatchObject({ saved: 1, deleted: null, deletionUncertain: 1 });
    });
  });

  it('without --delete, notes about deleting never appear', async () => {
    const pop3 = await start([genuine], { quirks: { listSizes: { 1: 3 } } });
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir]);
      expect(result.stderr).not.toMatch(/delet/i);
      expect(result.stderr.match(/message 1 not saved/g)).toHaveLength(1);
    });
  });
});
