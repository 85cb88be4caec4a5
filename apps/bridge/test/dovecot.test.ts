// The whole path: webpop's engine over the browser WebSocket transport, through the bridge, to a real
// Dovecot on loopback: plain, implicit TLS (test CA as the configured `ca`), STLS, and the whole mailbox
// listed and fetched byte-exact.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Security } from '@webpop/pop3';
import { connectWebSocketTransport, Pop3BridgeError } from '@webpop/pop3/browser';
import { corpusMessages, generateMessages, startDovecot, toCrlf, type RunningDovecot } from '@webpop/testkit';
import { startTestBridge, stopAll, tempFiles, type TestBridge } from './support/bridge.js';
import { browserLikeWebSocket } from './support/browser-websocket.js';

const password = `pw-${Math.random().toString(36).slice(2)}`;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

let dovecot: RunningDovecot;
let bridge: TestBridge;
let mailbox: Array<{ name: string; bytes: Uint8Array }>;

beforeAll(async () => {
  const corpus = await corpusMessages();
  mailbox = [
    ...corpus,
    ...generateMessages(30, { seed: 11 }).map((bytes, i) => ({ name: `generated-${i}`, bytes })),
  ];
  dovecot = await startDovecot({
    users: [
      { username: 'alice', password },
      { username: 'bob', password },
    ],
    messages: { alice: mailbox.map((m) => m.bytes), bob: mailbox.slice(0, 3).map((m) => m.bytes) },
  });
  const dir = await tempFiles({ 'dovecot-ca.pem': dovecot.caPem });
  const ca = join(dir, 'dovecot-ca.pem');
  bridge = await startTestBridge({
    servers: [
      { id: 'plain', host: dovecot.host, port: dovecot.pop3Port, security: 'none' },
      { id: 'pop3s', host: dovecot.host, port: dovecot.pop3sPort, security: 'tls', ca },
      { id: 'stls', host: dovecot.host, port: dovecot.pop3Port, security: 'starttls', ca },
      { id: 'pop3s-no-ca', host: dovecot.host, port: dovecot.pop3sPort, security: 'tls' },
    ],
  });
});

afterAll(async () => {
  await stopAll();
  await dovecot?.stop();
});

async function session(server: string, security: Security, username = 'alice') {
  const transport = await connectWebSocketTransport({
    url: bridge.relayUrl,
    target: { server },
    WebSocket: browserLikeWebSocket(bridge.url),
  });
  return openSession(transport, {
    security,
    credentials: { username, password, allowPlaintext: security === 'none' },
  });
}

describe('the engine through the bridge to real Dovecot', () => {
  it('plain', async () => {
    const client = await session('plain', 'none');
    expect(client.tls).toBeNull();
    expect((await client.stat()).count).toBe(mailbox.length);
    await client.quit();
  });

  it('implicit TLS, verified against the configured CA', async () => {
    const client = await session('pop3s', 'tls');
    expect(client.tls).toMatchObject({ authorized: true, protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
    expect(client.tls?.subject).toContain('localhost');
    expect((await client.stat()).count).toBe(mailbox.length);
    await client.quit();
  });

  it('STLS through the bridge', async () => {
    const client = await session('stls', 'starttls');
    expect(client.tls).toMatchObject({ authorized: true });
    expect((await client.list()).length).toBe(mailbox.length);
    await client.quit();
    await expect
      .poll(() => bridge.sessions().find((l) => l.target === 'stls'))
      .toMatchObject({
        security: 'starttls',
        closeCode: 1000,
        closedBy: 'server',
      });
  });

  it('without the CA the certificate is refused (tls_failed)', async () => {
    const error = await session('pop3s-no-ca', 'tls').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3BridgeError);
    // The transport settles on the error frame; the close code (4502) is checked with raw clients in tls.test.ts.
    expect(error).toMatchObject({ code: 'tls_failed' });
  });

  for (const security of ['tls', 'starttls', 'none'] as const) {
    it(`lists and fetches the whole mailbox byte-exact (${security}, pipelined)`, async () => {
      const client = await session(
        security === 'tls' ? 'pop3s' : security === 'starttls' ? 'stls' : 'plain',
        security,
      );
      const entries = await client.messages();
      expect(entries).toHaveLength(mailbox.length);
      const expected = new Map(mailbox.map((m) => [hex(toCrlf(m.bytes)), m.name]));
      const found = new Set<string>();
      const { failures } = await client.fetchEach({
        numbers: entries.map((e) => e.number),
        onMessage: (number, bytes) => {
          const name = expected.get(hex(bytes));
          expect(name, `message ${number} matches no stored message`).toBeDefined();
          expect(bytes.length).toBe(entries.find((e) => e.number === number)?.size);
          found.add(name as string);
        },
      });
      expect(failures).toEqual([]);
      expect(found.size).toBe(expected.size);
      await client.quit();
    });
  }

  it('DELE then QUIT commits through the bridge', async () => {
    const client = await session('pop3s', 'tls', 'bob');
    const before = await client.messages();
    await client.dele(1);
    await client.quit();
    const again = await session('pop3s', 'tls', 'bob');
    expect((await again.messages()).map((m) => m.uid)).toEqual(before.slice(1).map((m) => m.uid));
    await again.quit();
  });
});
