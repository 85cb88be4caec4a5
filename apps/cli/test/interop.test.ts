// `webpop` against testkit servers scripted to behave as real servers do (issue: interop and integrity).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPop3Server, type Pop3ServerOptions, type RunningPop3Server } from '@webpop/testkit';
import { fileNameForUid } from '../src/index.js';
import { PASSWORD, serverArgs, webpop, withTempDir } from './helpers.js';

let server: RunningPop3Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(messages: string[], options: Partial<Pop3ServerOptions> = {}) {
  server = await startPop3Server({
    accounts: [
      { username: 'alice', password: PASSWORD, messages: messages.map((m) => Buffer.from(m, 'latin1')) },
    ],
    ...options,
  });
  return server;
}

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
            /^integrity error: message 1 arrived with \d+ bytes but the server's LIST said 3.*not saved/,
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
    server = await startPop3Server({
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
