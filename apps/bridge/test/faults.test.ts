// testkit's misbehaving server through the bridge, as the browser's engine meets it (over the WebSocket
// transport): every fault reaches the engine as the same typed error, with the same words, as over a
// direct socket: the bridge adds nothing and hides nothing.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSession, type Pop3Client } from '@webpop/pop3';
import { connectPop3 } from '@webpop/pop3/node';
import { connectWebSocketTransport } from '@webpop/pop3/browser';
import { generateMessages, startPop3Server, type Pop3Faults, type RunningPop3Server } from '@webpop/testkit';
import { startTestBridge, stopAll } from './support/bridge.js';
import { browserLikeWebSocket } from './support/browser-websocket.js';

const password = 'bridge-faults-password';
const messages = generateMessages(6, { seed: 3 });
let pop3: RunningPop3Server | undefined;

afterEach(async () => {
  await pop3?.close();
  pop3 = undefined;
});

afterAll(stopAll);

const credentials = { username: 'alice', password, method: 'user' as const, allowPlaintext: true };

async function throughBridge(running: RunningPop3Server): Promise<Pop3Client> {
  const relay = await startTestBridge({
    servers: [{ id: 'faulty', host: '127.0.0.1', port: running.port, security: 'none' }],
  });
  const transport = await connectWebSocketTransport({
    url: relay.relayUrl,
    target: { server: 'faulty' },
    WebSocket: browserLikeWebSocket(relay.url),
  });
  return openSession(transport, { security: 'none', credentials, timeoutMs: 1000 });
}

const direct = (running: RunningPop3Server) =>
  connectPop3({ host: running.host, port: running.port, security: 'none', credentials, timeoutMs: 1000 });

/** What a fault does to a session: the error's class, kind and words. */
async function outcome(open: () => Promise<Pop3Client>, step: (client: Pop3Client) => Promise<unknown>) {
  const error = await (async () => step(await open()))().then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  // The server's own text is quoted at the end; testkit's binary bytes differ on every run.
  const message = error?.message.replace(/: ".*"$/s, ': "…"');
  return error && { name: error.name, kind: (error as { kind?: string }).kind, message };
}

const list = (client: Pop3Client) =>
  client.fetchEach({ numbers: messages.map((_, i) => i + 1), topLines: 0, onMessage: () => {} });

describe('faults through the bridge are the faults a direct socket sees', () => {
  it.each<[string, Pop3Faults, (client: Pop3Client) => Promise<unknown>]>([
    ['a drop during login', { dropAfterCommand: { command: 'PASS' } }, async () => {}],
    ['a close right after the greeting', { greeting: 'close' }, async () => {}],
    [
      'a drop mid-TOP listing',
      { dropAfterCommand: { command: 'TOP', after: 3, midResponseBytes: 30 } },
      list,
    ],
    [
      'a drop mid-RETR',
      { dropAfterCommand: { command: 'RETR', midResponseBytes: 100 } },
      (client) => client.retr(1),
    ],
    ['a stall', { stallOn: 'STAT' }, (client) => client.stat()],
    ['a 1 MB line', { longLineOn: { command: 'STAT', bytes: 1024 * 1024 } }, (client) => client.stat()],
    ['bytes that are not text', { binaryOn: { command: 'STAT' } }, (client) => client.stat()],
    [
      'a reply that is neither +OK nor -ERR',
      { garbageOn: { command: 'STAT', line: '* OK IMAP' } },
      (client) => client.stat(),
    ],
    ['-ERR [IN-USE]', { loginError: 'IN-USE' }, async () => {}],
    ['-ERR [LOGIN-DELAY]', { loginError: 'LOGIN-DELAY' }, async () => {}],
  ])('%s', async (_, faults, step) => {
    // The drop faults fire once per server, so each path gets a server of its own.
    const start = async () =>
      (pop3 = await startPop3Server({ accounts: [{ username: 'alice', password, messages }], faults }));
    const viaSocket = await outcome(async () => direct(await start()), step);
    await pop3?.close();
    const viaBridge = await outcome(async () => throughBridge(await start()), step);
    expect(viaSocket?.kind).toBeDefined();
    expect(viaBridge).toEqual(viaSocket);
  });
});
