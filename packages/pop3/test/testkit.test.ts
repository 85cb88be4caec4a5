// The engine against testkit's scriptable server: misbehaving servers give clear, typed errors, and
// servers without CAPA, TOP or UIDL still work.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createSelfSignedCertificate,
  generateMessages,
  startPop3Server,
  type RunningPop3Server,
} from '@webpop/testkit';
import { connectNodeTransport, connectPop3 } from '../src/node/index.js';
import { Pop3Client } from '../src/client.js';
import {
  Pop3AbortError,
  Pop3ClosedError,
  Pop3ProtocolError,
  Pop3SecurityError,
  Pop3ServerError,
  Pop3TimeoutError,
} from '../src/errors.js';

type ServerOptions = Parameters<typeof startPop3Server>[0];

const messages = generateMessages(12, { seed: 1 });
const password = 'testkit-password';
let server: RunningPop3Server | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<ServerOptions> = {}) {
  server = await startPop3Server({ accounts: [{ username: 'alice', password, messages }], ...options });
  return server;
}

function connect(running: RunningPop3Server, extra: { timeoutMs?: number; method?: 'user' | 'apop' } = {}) {
  return connectPop3({
    host: running.host,
    port: running.port,
    security: 'none',
    timeoutMs: extra.timeoutMs ?? 5_000,
    credentials: { username: 'alice', password, method: extra.method ?? 'user', allowPlaintext: true },
  });
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('engine against testkit faults', () => {
  it('an -ERR greeting is a clear server error', async () => {
    const running = await start({ faults: { greeting: 'err' } });
    const error = await connect(running).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ServerError);
    expect(error).toMatchObject({ command: 'greeting', code: 'SYS/TEMP', phase: 'greeting' });
  });

  it('a close right after the greeting is a clear closed error', async () => {
    const running = await start({ faults: { greeting: 'close' } });
    const error = await connect(running).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ClosedError);
    expect(String(error)).toMatch(/closed the connection/);
  });

  it('a drop during login says so', async () => {
    const running = await start({ faults: { dropAfterCommand: { command: 'PASS' } } });
    const error = await connect(running).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ClosedError);
    expect(String(error)).toMatch(/PASS/);
  });

  it('a drop mid-TOP listing rejects the listing, keeping what arrived before', async () => {
    const running = await start({
      faults: { dropAfterCommand: { command: 'TOP', after: 5, midResponseBytes: 30 } },
    });
    const client = await connect(running);
    const got: number[] = [];
    const error = await client
      .fetchEach({ numbers: messages.map((_, i) => i + 1), topLines: 0, onMessage: (n) => got.push(n) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ClosedError);
    expect(String(error)).toMatch(/in the middle of the reply to TOP 5 0/);
    expect(got).toEqual([1, 2, 3, 4]);
    expect(client.state).toBe('ended');
  });

  it('a drop mid-RETR never yields a partial message', async () => {
    const running = await start({ faults: { dropAfterCommand: { command: 'RETR', midResponseBytes: 100 } } });
    const client = await connect(running);
    const error = await client.retr(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ClosedError);
    expect(String(error)).toMatch(/in the middle of the reply to RETR 1/);
  });

  it('a drop in the reply to DELE, or before QUIT is answered: nothing is deleted', async () => {
    const running = await start({
      faults: { dropAfterCommand: { command: 'DELE', after: 2 } },
    });
    const client = await connect(running);
    await client.dele(1);
    const error = await client.dele(2).catch((e: unknown) => e);
    // The second DELE is not confirmed, and the session is over: its marks are void.
    expect(error).toBeInstanceOf(Pop3ClosedError);
    expect(client.state).toBe('ended');
    expect(running.accounts.get('alice')!.messages).toHaveLength(messages.length);
    await running.close();

    const quitting = await start({ faults: { dropAfterCommand: { command: 'QUIT' } } });
    const other = await connect(quitting);
    await other.dele(1);
    await expect(other.quit()).rejects.toBeInstanceOf(Pop3ClosedError);
    expect(quitting.accounts.get('alice')!.messages).toHaveLength(messages.length);
  });

  it('a stalled server times out', async () => {
    const running = await start({ faults: { stallOn: 'STAT' } });
    const client = await connect(running, { timeoutMs: 300 });
    const error = await client.stat().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3TimeoutError);
    expect(error).toMatchObject({ command: 'STAT' });
    expect(client.state).toBe('ended');
  });

  it('an AbortSignal cancels a sign-in the server stalls, at once, and closes the link', async () => {
    const running = await start({ faults: { stallOn: 'PASS' } });
    const controller = new AbortController();
    const signingIn = connectPop3({
      host: running.host,
      port: running.port,
      security: 'none',
      timeoutMs: 30_000,
      signal: controller.signal,
      credentials: { username: 'alice', password, method: 'user', allowPlaintext: true },
    });
    await vi.waitFor(() =>
      expect(running.commandLog.some((entry) => entry.command.startsWith('PASS'))).toBe(true),
    );
    // Only the abort can end the sign-in in time: the reply timeout (30 s) is the test's own.
    controller.abort();
    const error = await signingIn.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3AbortError);
    expect(error).toMatchObject({ kind: 'aborted', message: 'sign-in: cancelled' });
    await vi.waitFor(() => expect(running.openConnections).toBe(0));
  });

  it('an AbortSignal already aborted opens nothing', async () => {
    const running = await start();
    const error = await connectPop3({
      host: running.host,
      port: running.port,
      security: 'none',
      signal: AbortSignal.abort(),
      credentials: { username: 'alice', password, method: 'user', allowPlaintext: true },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'aborted' });
  });

  it('a reply that is neither +OK nor -ERR is a protocol error', async () => {
    const running = await start({ faults: { garbageOn: { command: 'STAT', line: '* OK this is IMAP' } } });
    const client = await connect(running);
    await expect(client.stat()).rejects.toThrow(/neither \+OK nor -ERR/);
    expect(client.state).toBe('ended');
  });

  it('a 1 MB status line is refused past 64 KiB', async () => {
    const running = await start({ faults: { longLineOn: { command: 'STAT', bytes: 1024 * 1024 } } });
    const client = await connect(running);
    const error = await client.stat().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ProtocolError);
    expect(String(error)).toMatch(/longer than 65536 bytes/);
  });

  it('binary garbage is a protocol error', async () => {
    const running = await start({ faults: { binaryOn: { command: 'LIST' } } });
    const client = await connect(running);
    const error = await client.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ProtocolError);
    // The bytes are quoted with every control character escaped (safe to print on a terminal).
    // eslint-disable-next-line no-control-regex
    expect((error as Error).message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  for (const code of ['IN-USE', 'LOGIN-DELAY', 'SYS/TEMP', 'SYS/PERM'] as const) {
    it(`a login refused with [${code}] carries the code`, async () => {
      const running = await start({ faults: { loginError: code } });
      const error = await connect(running).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Pop3ServerError);
      expect(error).toMatchObject({ code, phase: 'login' });
    });
  }

  it('a -ERR says its phase: a wrong password is login, a missing message is transaction', async () => {
    const running = await start();
    const refused = await connectPop3({
      host: running.host,
      port: running.port,
      security: 'none',
      credentials: { username: 'alice', password: 'wrong', method: 'user', allowPlaintext: true },
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ command: 'PASS', phase: 'login' });
    const client = await connect(running);
    const missing = await client.retr(99).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Pop3ServerError);
    expect(missing).toMatchObject({ command: 'RETR 99', phase: 'transaction' });
    await client.quit();
  });

  it('the STARTTLS injection is refused before the handshake', async () => {
    const running = await start({
      tls: await createSelfSignedCertificate(),
      faults: { injectAfterStls: '+OK injected\r\n' },
    });
    const error = await connectPop3({
      host: running.host,
      port: running.port,
      security: 'starttls',
      credentials: { username: 'alice', password },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3SecurityError);
    expect(String(error)).toMatch(/STARTTLS injection/);
    expect(running.commandLog.map((c) => c.command)).not.toContain('AUTH');
  });

  it('works with a server without CAPA, TOP or UIDL, and says what is missing', async () => {
    const running = await start({ features: { capa: false, top: false, uidl: false } });
    const client = await connect(running);
    expect(client.capabilities).toBeNull();
    const entries = await client.messages();
    expect(entries.every((e) => e.uid === undefined)).toBe(true);
    const headers: string[] = [];
    await client.fetchEach({ numbers: [1, 2], topLines: 0, onMessage: (_, b) => headers.push(text(b)) });
    expect(headers[0]).toBe(text(messages[0]!).split('\r\n\r\n')[0] + '\r\n\r\n');
    expect(client.notes.join('\n')).toMatch(
      /no CAPA[\s\S]*no UIDL[\s\S]*no TOP|no CAPA[\s\S]*no TOP[\s\S]*no UIDL/,
    );
    await client.quit();
  });

  it('falls back to RETR when TOP fails on a server without CAPA', async () => {
    const running = await start({ features: { capa: false }, faults: { errOnTop: true } });
    const client = await connect(running);
    expect(text(await client.top(3, 0))).toBe(text(messages[2]!).split('\r\n\r\n')[0] + '\r\n\r\n');
    await client.quit();
  });

  it('pipelines against a server that allows it, and matches one-at-a-time results', async () => {
    const pipelined = await start();
    const a = await connect(pipelined);
    const viaPipeline: string[] = [];
    await a.fetchEach({
      numbers: messages.map((_, i) => i + 1),
      onMessage: (_, b) => viaPipeline.push(text(b)),
    });
    await a.quit();
    await pipelined.close();

    const sequential = await start({ features: { pipelining: false } });
    const b = await connect(sequential);
    const viaSequence: string[] = [];
    for (let n = 1; n <= messages.length; n++) viaSequence.push(text(await b.retr(n)));
    await b.quit();
    expect(viaPipeline).toEqual(viaSequence);
    expect(viaPipeline).toEqual(messages.map(text));
  });

  it('APOP and the greeting timestamp against testkit', async () => {
    const running = await start();
    const client = await connect(running, { method: 'apop' });
    expect(client.loginMethod).toBe('apop');
    await client.quit();
  });

  for (const method of ['plain', 'login', 'cram-md5', 'xoauth2'] as const) {
    it(`logs in with AUTH ${method.toUpperCase()} against testkit`, async () => {
      const running = await start({ features: { sasl: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] } });
      const secret = method === 'xoauth2' ? { accessToken: password } : { password };
      const client = await connectPop3({
        host: running.host,
        port: running.port,
        security: 'none',
        credentials: { username: 'alice', ...secret, method, allowPlaintext: true },
      });
      expect(client.loginMethod).toBe(method);
      expect((await client.stat()).count).toBe(messages.length);
      await client.quit();
    });
  }

  it('a rejected XOAUTH2 token ends in the server error, after the empty response', async () => {
    const running = await start({ features: { sasl: ['XOAUTH2'] } });
    const error = await connectPop3({
      host: running.host,
      port: running.port,
      security: 'none',
      credentials: { username: 'alice', accessToken: 'expired', method: 'xoauth2', allowPlaintext: true },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3ServerError);
    expect(error).toMatchObject({ command: 'AUTH XOAUTH2' });
  });

  it('capabilities without login (as `webpop capa` does)', async () => {
    const running = await start();
    const client = await Pop3Client.connect(
      await connectNodeTransport({ host: running.host, port: running.port, security: 'none' }),
    );
    const capabilities = await client.capa();
    expect(capabilities?.has('TOP')).toBe(true);
    await client.quit();
  });
});
