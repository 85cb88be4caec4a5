// The engine against testkit servers scripted to behave as real servers and other clients' test servers
// do (issue: interop and integrity): framing, sizes against LIST, login, capabilities after login.
import { afterEach, describe, expect, it } from 'vitest';
import { startPop3Server, type Pop3ServerOptions, type RunningPop3Server } from '@webpop/testkit';
import { connectPop3 } from '../src/node/index.js';
import type { Credentials } from '../src/auth/methods.js';
import type { Pop3Client } from '../src/client.js';
import { Pop3IntegrityError, Pop3LoginError, Pop3SecurityError, Pop3ServerError } from '../src/errors.js';

const password = 'interop-password';
let server: RunningPop3Server | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(messages: string[], options: Partial<Pop3ServerOptions> = {}) {
  server = await startPop3Server({
    accounts: [{ username: 'alice', password, messages: messages.map((m) => Buffer.from(m, 'latin1')) }],
    ...options,
  });
  return server;
}

function connect(running: RunningPop3Server) {
  return connectPop3({
    host: running.host,
    port: running.port,
    security: 'none',
    timeoutMs: 5_000,
    credentials: { username: 'alice', password, method: 'user', allowPlaintext: true },
  });
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

// A crafted message: bare LFs, a dot after one, and what would look like the end of the reply and a
// whole next reply to a reader that took every LF for a line end.
const forgery =
  'Subject: bait\r\n\r\nline a\n.b\r\nline c\n.\r\n+OK 40 octets\r\nSubject: forged\r\n\r\nforged\r\n';
const genuine = 'Subject: genuine\r\n\r\nhello\r\n';

describe('framing (RFC 1939) against real servers', () => {
  it('a server that passes bare LFs through: each message exactly as stored, pipelined', async () => {
    const running = await start([forgery, genuine], { quirks: { keepBareLf: true } });
    const client = await connect(running);
    expect(client.capabilities?.pipelining).toBe(true);
    await client.messages();
    const [first, second] = await Promise.all([client.retr(1), client.retr(2)]);
    expect(text(first)).toBe(forgery);
    expect(text(second)).toBe(genuine);
    await client.quit();
  });

  it('a server whose every line ends in a bare LF is still read, its messages in LF form', async () => {
    const running = await start([forgery.replaceAll('\r\n', '\n'), genuine], {
      quirks: { lineEnding: 'lf' },
    });
    const client = await connect(running);
    await client.messages();
    const [first, second] = await Promise.all([client.retr(1), client.retr(2)]);
    expect(text(first)).toBe(forgery.replaceAll('\r\n', '\n'));
    expect(text(second)).toBe(genuine.replaceAll('\r\n', '\n'));
    await client.quit();
  });

  it('a message whose size disagrees with LIST is an integrity error; the session goes on', async () => {
    const running = await start([genuine, genuine], { quirks: { listSizes: { 1: genuine.length - 5 } } });
    const client = await connect(running);
    await client.messages();
    const error = await client.retr(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3IntegrityError);
    expect(error).toMatchObject({ kind: 'integrity', number: 1, receivedBytes: genuine.length });
    expect(text(await client.retr(2))).toBe(genuine);
    const { failures } = await client.fetchEach({ numbers: [1, 2], onMessage: () => {} });
    expect(failures.map(({ number, error }) => [number, error.kind])).toEqual([[1, 'integrity']]);
    await client.quit();
  });
});

function login(running: RunningPop3Server, credentials: Partial<Credentials> = {}): Promise<Pop3Client> {
  return connectPop3({
    host: running.host,
    port: running.port,
    security: 'none',
    timeoutMs: 5_000,
    credentials: { username: 'alice', password, ...credentials },
  });
}

const authCommands = (running: RunningPop3Server) =>
  running.commandLog.map((entry) => entry.command).filter((c) => /^(USER|PASS|APOP|AUTH)/.test(c));

describe('login where a careful client logs in', () => {
  it('AUTH PLAIN with an initial response, answered with + (RFC 1734 servers, Thunderbird): sent again', async () => {
    const running = await start([genuine], { quirks: { saslInitialResponse: 'challenge' } });
    const client = await login(running, { method: 'plain', allowPlaintext: true });
    expect(client.loginMethod).toBe('plain');
    // The server ignored the initial response: the login succeeded on the response sent after its +.
    expect(authCommands(running)).toEqual(['AUTH PLAIN ***']);
    await client.quit();
  });

  it('XOAUTH2 in the two-step form, on a server that refuses an initial response (Microsoft)', async () => {
    server = await startPop3Server({
      accounts: [{ username: 'alice', password: 'bearer-token', messages: [] }],
      features: { sasl: ['XOAUTH2'] },
      quirks: { saslInitialResponse: 'refuse' },
    });
    const client = await login(server, {
      password: undefined,
      accessToken: 'bearer-token',
      allowPlaintext: true,
    });
    expect(client.loginMethod).toBe('xoauth2');
    expect(authCommands(server)[0]).toBe('AUTH XOAUTH2');
    await client.quit();
  });

  it('USER/PASS where CAPA does not list USER (CPython and Thunderbird test servers), when allowed', async () => {
    const running = await start([genuine], {
      features: { sasl: [], apop: false },
      quirks: { unlisted: { always: ['USER'] } },
    });
    expect((await login(running, { allowPlaintext: true })).loginMethod).toBe('user');
    const refused = await login(running).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Pop3SecurityError);
    expect(refused).toMatchObject({ reason: 'plaintext' });
  });

  it('APOP refused for a user without an APOP secret: the next allowed method', async () => {
    const running = await start([genuine], { features: { sasl: [] }, quirks: { noApopSecret: ['alice'] } });
    const client = await login(running, { allowPlaintext: true });
    expect(client.loginMethod).toBe('user');
    expect(authCommands(running)).toEqual(['APOP alice ***', 'USER alice', 'PASS ***']);
    await client.quit();
  });

  it('a CRAM-MD5 the server only pretends to have: PLAIN next (Thunderbird test_pop3ServerBrokenCRAMFail)', async () => {
    const running = await start([genuine], {
      features: { apop: false },
      quirks: { brokenSasl: ['CRAM-MD5'] },
    });
    const client = await login(running, { allowPlaintext: true });
    expect(client.loginMethod).toBe('plain');
    expect(authCommands(running)).toEqual(['AUTH CRAM-MD5', 'AUTH PLAIN ***']);
    await client.quit();
  });

  it('when every method fails: the methods tried, and never a password in clear without TLS', async () => {
    const running = await start([genuine]);
    const error = await login(running, { password: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3LoginError);
    expect(error).toMatchObject({ kind: 'server', code: 'AUTH' });
    expect((error as Pop3LoginError).attempts.map((a) => a.method)).toEqual(['cram-md5', 'apop']);
    expect(authCommands(running).some((c) => /^(USER|PASS|AUTH PLAIN|AUTH LOGIN)/.test(c))).toBe(false);
  });

  it('with plaintext allowed, one clear-password method refused with [AUTH] is enough', async () => {
    const running = await start([genuine], { features: { apop: false, sasl: ['PLAIN', 'LOGIN'] } });
    const error = await login(running, { password: 'wrong', allowPlaintext: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ServerError);
    expect(authCommands(running)).toEqual(['AUTH PLAIN ***']);
  });

  it('the method that worked last time goes first', async () => {
    const running = await start([genuine]);
    const first = await login(running, { allowPlaintext: true });
    expect(first.loginMethod).toBe('cram-md5');
    await first.quit();
    const mark = running.commandLog.length;
    const again = await login(running, { allowPlaintext: true, preferredMethod: 'apop' });
    expect(again.loginMethod).toBe('apop');
    expect(running.commandLog[mark + 1]?.command).toBe('APOP alice ***');
    await again.quit();
  });

  it('the APOP timestamp is the first ASCII msg-id: "hi <\\xFC@x> <1@a.b>" uses <1@a.b> (Thunderbird)', async () => {
    const running = await start([genuine], {
      quirks: { greeting: { text: 'hi <\u00fc@x> <1@a.b>', apopTimestamp: '<1@a.b>' } },
    });
    const client = await login(running, { method: 'apop' });
    expect(client.greeting.apopTimestamp).toBe('<1@a.b>');
    await client.quit();
  });
});

describe('capabilities announced after login replace those before', () => {
  for (const pipelining of [true, false]) {
    it(`a proxy that lists TOP only after login has TOP (${pipelining ? 'pipelined' : 'one at a time'})`, async () => {
      const running = await start([genuine], {
        features: { pipelining },
        quirks: { unlisted: { beforeLogin: ['TOP'] } },
      });
      const client = await connect(running);
      const headers = await client.top(1, 0);
      expect(text(headers)).toBe('Subject: genuine\r\n\r\n');
      expect(client.capabilities?.has('TOP')).toBe(true);
      expect(client.notes.join(' ')).not.toMatch(/no TOP/);
      expect(running.commandLog.map((e) => e.command)).toContain('TOP 1 0');
      expect(running.commandLog.map((e) => e.command)).not.toContain('RETR 1');
      await client.quit();
    });
  }
});

describe('honest listings', () => {
  it('duplicate UIDLs are detected when UIDL is read and named by number', async () => {
    const running = await start([genuine, genuine, genuine], { quirks: { uidl: { 1: 'same', 3: 'same' } } });
    const client = await connect(running);
    const entries = await client.messages();
    expect(entries.map((e) => [e.number, e.uid, e.uidProblem])).toEqual([
      [1, 'same', 'duplicate'],
      [2, expect.any(String), undefined],
      [3, 'same', 'duplicate'],
    ]);
    expect(client.notes).toEqual([
      'Messages 1 and 3 have the same unique id (UIDL "same"): they cannot be told apart across sessions.',
    ]);
    await client.quit();
  });

  it('a message left out of UIDL is named as such, not as a server without UIDL', async () => {
    const running = await start([genuine, genuine], { quirks: { uidl: { 2: null } } });
    const client = await connect(running);
    const entries = await client.messages();
    expect(entries.map((e) => [e.number, e.uidProblem])).toEqual([
      [1, undefined],
      [2, 'missing'],
    ]);
    expect(client.notes).toEqual(["The server's UIDL has no entry for message 2."]);
    await client.quit();
  });

  it('a server without UIDL: every entry says so, once', async () => {
    const running = await start([genuine, genuine], { features: { uidl: false } });
    const client = await connect(running);
    expect((await client.messages()).map((e) => e.uidProblem)).toEqual(['unsupported', 'unsupported']);
    expect(client.notes).toEqual(['The server has no UIDL: messages cannot be recognised across sessions.']);
    await client.quit();
  });

  it('QUIT answered by closing the connection rejects: the caller cannot know what was deleted', async () => {
    const running = await start([genuine], { quirks: { quitCloses: true } });
    const client = await connect(running);
    await client.dele(1);
    const error = await client.quit().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'closed' });
  });
});
