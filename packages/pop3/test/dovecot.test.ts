// The engine against a real Dovecot on loopback: every command, every login method Dovecot offers,
// STLS and implicit TLS, pipelined and not, and every corpus message retrieved byte-exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusMessages, generateMessages, startDovecot, toCrlf, type RunningDovecot } from '@webpop/testkit';
import { connectNodeTransport, connectPop3 } from '../src/node/index.js';
import { Pop3Client } from '../src/client.js';
import { Pop3ServerError, Pop3TlsError } from '../src/errors.js';
import type { LoginMethod } from '../src/auth/methods.js';
import type { Security } from '../src/session.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

let dovecot: RunningDovecot;
let corpus: Array<{ name: string; bytes: Uint8Array }>;
const password = `pw-${Math.random().toString(36).slice(2)}`;
const extra = generateMessages(40, { seed: 7 });

beforeAll(async () => {
  corpus = await corpusMessages();
  dovecot = await startDovecot({
    users: [
      { username: 'alice', password },
      { username: 'bob', password },
    ],
    messages: { alice: [...corpus.map((m) => m.bytes), ...extra], bob: extra.slice(0, 5) },
  });
});

afterAll(async () => {
  await dovecot?.stop();
});

function connect(security: Security, method: LoginMethod | 'auto' = 'auto', user = 'alice') {
  return connectPop3({
    host: dovecot.host,
    port: security === 'tls' ? dovecot.pop3sPort : dovecot.pop3Port,
    security,
    ca: dovecot.caPem,
    servername: 'localhost',
    credentials: { username: user, password, method, allowPlaintext: security === 'none' },
  });
}

describe('against real Dovecot', () => {
  it('greets with an APOP timestamp and lists its capabilities', async () => {
    const transport = await connectNodeTransport({
      host: dovecot.host,
      port: dovecot.pop3Port,
      security: 'none',
    });
    const client = await Pop3Client.connect(transport);
    expect(client.greeting.apopTimestamp).toMatch(/^<.+@.+>$/);
    const capabilities = await client.capa();
    expect(capabilities?.has('stls')).toBe(true);
    expect(capabilities?.has('PIPELINING')).toBe(true);
    expect(capabilities?.saslMechanisms).toEqual(expect.arrayContaining(['PLAIN', 'LOGIN', 'CRAM-MD5']));
    await client.quit();
  });

  for (const [security, method] of [
    ['starttls', 'user'],
    ['starttls', 'plain'],
    ['starttls', 'login'],
    ['tls', 'cram-md5'],
    ['tls', 'apop'],
    ['tls', 'auto'],
    ['none', 'apop'],
    ['none', 'cram-md5'],
    ['none', 'user'],
  ] as const) {
    it(`logs in with ${method} over ${security}`, async () => {
      const client = await connect(security, method);
      if (method !== 'auto') expect(client.loginMethod).toBe(method);
      else expect(client.loginMethod).toBe('cram-md5');
      expect(client.tls === null).toBe(security === 'none');
      if (client.tls) expect(client.tls.authorized).toBe(true);
      expect((await client.stat()).count).toBe(corpus.length + extra.length);
      await client.quit();
    });
  }

  it('refuses a wrong password with [AUTH] and the server text', async () => {
    const error = await connectPop3({
      host: dovecot.host,
      port: dovecot.pop3sPort,
      security: 'tls',
      ca: dovecot.caPem,
      servername: 'localhost',
      credentials: { username: 'alice', password: 'wrong', method: 'plain' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ServerError);
    expect(error).toMatchObject({ code: 'AUTH' });
  });

  it('refuses a certificate it cannot verify', async () => {
    const error = await connectPop3({
      host: dovecot.host,
      port: dovecot.pop3sPort,
      security: 'tls',
      servername: 'localhost',
      credentials: { username: 'alice', password },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3TlsError);
  });

  it('refuses a certificate for another name', async () => {
    const error = await connectPop3({
      host: dovecot.host,
      port: dovecot.pop3sPort,
      security: 'tls',
      ca: dovecot.caPem,
      servername: 'mail.example.org',
      credentials: { username: 'alice', password },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3TlsError);
  });

  for (const pipelined of [true, false]) {
    it(`retrieves every corpus message byte-exact (${pipelined ? 'pipelined' : 'one at a time'})`, async () => {
      const client = await connect('tls');
      const entries = await client.messages();
      expect(entries).toHaveLength(corpus.length + extra.length);
      expect(new Set(entries.map((e) => e.uid)).size).toBe(entries.length);

      const expected = new Map(
        [...corpus, ...extra.map((bytes, i) => ({ name: `generated-${i}`, bytes }))].map((m) => [
          hex(toCrlf(m.bytes)),
          m.name,
        ]),
      );
      const found = new Set<string>();
      const check = (number: number, bytes: Uint8Array) => {
        const name = expected.get(hex(bytes));
        expect(name, `message ${number} matches no maildir file`).toBeDefined();
        expect(bytes.length).toBe(entries.find((e) => e.number === number)!.size);
        found.add(name!);
      };
      const numbers = entries.map((e) => e.number);
      if (pipelined) {
        const { failures } = await client.fetchEach({ numbers, onMessage: check });
        expect(failures).toEqual([]);
      } else {
        for (const number of numbers) check(number, await client.retr(number));
      }
      expect(found.size).toBe(expected.size);
      await client.quit();
    });
  }

  it('TOP returns the header block, pipelined for the whole mailbox', async () => {
    const client = await connect('starttls');
    const entries = await client.messages();
    const tops = new Map<number, Uint8Array>();
    await client.fetchEach({
      numbers: entries.map((e) => e.number),
      topLines: 0,
      onMessage: (n, b) => tops.set(n, b),
    });
    expect(tops.size).toBe(entries.length);
    for (const [number, header] of tops) {
      const text = Buffer.from(header).toString('latin1');
      expect(text.endsWith('\r\n\r\n'), `TOP ${number} 0 ends with the blank line`).toBe(true);
      const whole = Buffer.from(await client.retr(number)).toString('latin1');
      expect(whole.startsWith(text)).toBe(true);
    }
    await client.quit();
  });

  it('LIST n, UIDL n, NOOP, DELE + RSET keep the mailbox; DELE + QUIT deletes', async () => {
    const client = await connect('tls', 'auto', 'bob');
    const before = await client.messages();
    expect(await client.listOne(1)).toEqual({ number: 1, size: before[0]!.size });
    expect(await client.uidlOne(2)).toEqual({ number: 2, uid: before[1]!.uid });
    await client.noop();
    await client.dele(1);
    expect((await client.stat()).count).toBe(before.length - 1);
    await expect(client.retr(1)).rejects.toBeInstanceOf(Pop3ServerError);
    await client.rset();
    expect((await client.stat()).count).toBe(before.length);
    await client.dele(2);
    await client.quit();

    const after = await connect('tls', 'auto', 'bob');
    const remaining = await after.messages();
    expect(remaining.map((m) => m.uid)).toEqual(
      before.filter((m) => m.uid !== before[1]!.uid).map((m) => m.uid),
    );
    await after.quit();
  });

  it('keeps every message when the connection drops after DELE and before QUIT', async () => {
    const client = await connect('tls', 'auto', 'bob');
    const before = await client.messages();
    for (const entry of before) await client.dele(entry.number);
    client.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await connect('tls', 'auto', 'bob');
    expect((await again.messages()).map((m) => m.uid)).toEqual(before.map((m) => m.uid));
    await again.quit();
  });
});
