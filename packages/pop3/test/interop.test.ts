// The engine against testkit servers scripted to behave as real servers and other clients' test servers
// do (issue: interop and integrity): framing, sizes against LIST.
import { afterEach, describe, expect, it } from 'vitest';
import { startPop3Server, type Pop3ServerOptions, type RunningPop3Server } from '@webpop/testkit';
import { connectPop3 } from '../src/node/index.js';
import { Pop3IntegrityError } from '../src/errors.js';

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

describe('framing (RFC 1939) against real servers', () => {
  // A crafted message: bare LFs, a dot after one, and what would look like the end of the reply and a
  // whole next reply to a reader that took every LF for a line end.
  const forgery =
    'Subject: bait\r\n\r\nline a\n.b\r\nline c\n.\r\n+OK 40 octets\r\nSubject: forged\r\n\r\nforged\r\n';
  const genuine = 'Subject: genuine\r\n\r\nhello\r\n';

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
