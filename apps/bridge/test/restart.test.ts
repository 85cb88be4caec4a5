// The bridge going away in the middle of a session, as webpop's engine in the browser sees it (over
// `@webpop/pop3/browser`'s WebSocket transport): killed in the middle of a RETR and restarted on the same
// port, or shut down (1001). The engine says the connection closed in the middle of the RETR and why,
// never hands over a partial message, and nothing marked for deletion is deleted (no QUIT arrived).
// And the other way round: a QUIT the browser sent just before closing still reaches the server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSession, Pop3ClosedError, type Pop3Client } from '@webpop/pop3';
import { connectWebSocketTransport } from '@webpop/pop3/browser';
import { generateMessages, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { spawnBridge, stopAllChildren } from './support/child-bridge.js';
import { RelayClient } from './support/relay-client.js';
import { startTestBridge, stopAll } from './support/bridge.js';
import { browserLikeWebSocket } from './support/browser-websocket.js';

const password = 'restart-test-password';
const messages = [
  ...generateMessages(1, { seed: 5, bodyBytes: 1024 * 1024 }),
  ...generateMessages(3, { seed: 6 }),
];
let pop3: RunningPop3Server;

beforeAll(async () => {
  // Throttled, so a RETR of the 1 MiB message is still under way when the bridge goes.
  pop3 = await startPop3Server({
    accounts: [
      { username: 'alice', password, messages },
      { username: 'bob', password, messages: generateMessages(2, { seed: 7 }) },
    ],
    faults: { bytesPerSecond: 2 * 1024 * 1024 },
  });
});

afterAll(async () => {
  await pop3?.close();
});

afterEach(async () => {
  await stopAllChildren();
  await stopAll();
});

const config = () => ({ servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }] });

async function session(bridgeUrl: string): Promise<Pop3Client> {
  const transport = await connectWebSocketTransport({
    url: `${bridgeUrl.replace(/^http/, 'ws')}/pop3`,
    target: { server: 'demo' },
    WebSocket: browserLikeWebSocket(bridgeUrl),
  });
  return openSession(transport, {
    security: 'none',
    credentials: { username: 'alice', password, allowPlaintext: true },
  });
}

/** Marks message 2 deleted, then starts RETR 1 and calls `goAway` once some of it has arrived. */
async function retrCutBy(client: Pop3Client, goAway: () => void): Promise<unknown> {
  await client.dele(2);
  let cut = false;
  let received = 0;
  const result = await client
    .retr(1, {
      onProgress: (bytes) => {
        received = bytes;
        if (!cut && bytes > 64 * 1024) {
          cut = true;
          goAway();
        }
      },
    })
    .catch((error: unknown) => error);
  expect(cut).toBe(true);
  expect(received).toBeLessThan(messages[0]!.length);
  return result;
}

describe('the bridge going away mid-session', () => {
  it('killed mid-RETR: a clear closed error, no partial message; after a restart every message is there', async () => {
    const bridge = await spawnBridge(config());
    const port = Number(new URL(bridge.url).port);
    const client = await session(bridge.url);
    const uids = (await client.messages()).map((m) => m.uid);

    const result = await retrCutBy(client, () => bridge.child.kill('SIGKILL'));
    // A rejection, not bytes: the partial message is never handed over as if complete.
    expect(result).toBeInstanceOf(Pop3ClosedError);
    const error = result as Pop3ClosedError;
    expect(error.message).toMatch(/in the middle of the reply to RETR 1/);
    expect(String((error.cause as Error | undefined)?.message)).toMatch(
      /connection to the bridge closed \(1006: no close message: the bridge stopped or the network failed\)/,
    );
    // Told apart from a close by the mail server without reading the words.
    expect(error.bridgeCloseCode).toBe(1006);
    expect(client.state).toBe('ended');
    await bridge.exited;

    // The bridge comes back on the same port: a new session sees every message, DELE 2 was not committed.
    const restarted = await spawnBridge(config(), { port });
    expect(restarted.url).toBe(bridge.url);
    const again = await session(restarted.url);
    expect((await again.messages()).map((m) => m.uid)).toEqual(uids);
    expect(Buffer.from(await again.retr(1)).equals(Buffer.from(messages[0]!))).toBe(true);
    await again.quit();
  });

  it('shut down mid-RETR (1001): the error says the bridge is shutting down; nothing is deleted', async () => {
    const bridge = await startTestBridge(config());
    const client = await session(bridge.url);
    const result = await retrCutBy(client, () => void bridge.close());
    expect(result).toBeInstanceOf(Pop3ClosedError);
    expect((result as Error).message).toMatch(/in the middle of the reply to RETR 1/);
    expect(String(((result as Error).cause as Error | undefined)?.message)).toMatch(
      /connection to the bridge closed \(1001: the bridge is shutting down\)/,
    );
    expect((result as Pop3ClosedError).bridgeCloseCode).toBe(1001);
    const other = await startTestBridge(config());
    const again = await session(other.url);
    expect((await again.stat()).count).toBe(messages.length);
    await again.quit();
  });

  it('the browser sends DELE and QUIT and closes at once: the QUIT still arrives, the deletion is committed', async () => {
    const bridge = await startTestBridge(config());
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    expect(await client.line()).toMatch(/^\+OK/);
    client.sendBytes(`USER bob\r\nPASS ${password}\r\nDELE 1\r\nQUIT\r\n`);
    client.close(1000);
    await client.closed;
    await expect.poll(() => pop3.accounts.get('bob')!.messages.length, { timeout: 5000 }).toBe(1);
  });
});
