// Connection floods and slow handshakes, on loopback only, against a bridge in its own process (so its
// memory is its own): one address (127.0.0.2) floods, another (127.0.0.1) is a legitimate browser that
// must still get its session promptly, and the bridge's memory must stay bounded.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { spawnBridge, stopAllChildren, type ChildBridge } from './support/child-bridge.js';
import { RelayClient } from './support/relay-client.js';

const FLOOD = 200;
const FLOODER = '127.0.0.2';
const MiB = 1024 * 1024;
/** What 200 refused or timed-out connections may leave behind in the bridge (V8 garbage included). */
const MEMORY_SLACK = 24 * MiB;
const password = 'flood-test-password';
let pop3: RunningPop3Server;

beforeAll(async () => {
  pop3 = await startPop3Server({
    accounts: [{ username: 'alice', password, messages: [Buffer.from('Subject: hi\r\n\r\nhello\r\n')] }],
  });
});

afterAll(async () => {
  await pop3?.close();
});

afterEach(stopAllChildren);

async function bridgeFor(limits: Record<string, number> = {}): Promise<ChildBridge> {
  return spawnBridge({
    servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }],
    limits: { handshakeSeconds: 2, ...limits },
  });
}

/** A whole POP3 session through the bridge from 127.0.0.1. */
async function legitimateSession(bridge: ChildBridge): Promise<void> {
  const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
  expect(await client.line()).toMatch(/^\+OK/);
  client.command('USER alice');
  expect(await client.line()).toMatch(/^\+OK/);
  client.command(`PASS ${password}`);
  expect(await client.line()).toMatch(/^\+OK/);
  client.command('QUIT');
  expect(await client.line()).toMatch(/^\+OK/);
  expect((await client.closed).code).toBe(1000);
}

async function memory(bridge: ChildBridge): Promise<{ rss: number; heap: number }> {
  return { rss: bridge.rssBytes(), heap: await bridge.metric('nodejs_heap_used_bytes') };
}

describe('floods and slow handshakes (loopback)', () => {
  it(`${FLOOD} connections that never finish the handshake: the bridge still serves others and drops them all`, async () => {
    const bridge = await bridgeFor();
    const port = Number(new URL(bridge.url).port);
    const before = await memory(bridge);
    let closed = 0;
    const sockets = Array.from({ length: FLOOD }, (_, i) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress: FLOODER });
      socket.on('error', () => undefined);
      socket.on('close', () => closed++);
      // Half say nothing at all; half start an upgrade request and never finish it (slowloris).
      if (i % 2 === 1) {
        socket.on('connect', () => socket.write(`GET /pop3 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`));
      }
      return socket;
    });
    try {
      // Past handshakesPerIp (20) the bridge closes them at once.
      await expect.poll(() => closed, { timeout: 5000 }).toBeGreaterThanOrEqual(FLOOD - 20);
      // Served while the flood still holds its 20 handshakes open (handshakeSeconds: 2).
      await legitimateSession(bridge);
      expect(closed).toBeLessThan(FLOOD);
      // The 20 it kept waiting are closed when handshakeSeconds runs out.
      await expect.poll(() => closed, { timeout: 6000 }).toBe(FLOOD);
      const after = await memory(bridge);
      expect(after.rss - before.rss).toBeLessThan(MEMORY_SLACK);
      expect(after.heap - before.heap).toBeLessThan(MEMORY_SLACK);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it(`a flood of ${FLOOD} WebSocket upgrades from one address: refused past its limits, others still served`, async () => {
    const bridge = await bridgeFor({ connectionsPerIpPerMinute: 60, connectionsPerIp: 20 });
    const before = await memory(bridge);
    const origin = bridge.url;
    // Those let in hold their relay until every attempt has its answer (relayed or closed), then leave.
    const answered: Array<Promise<void>> = [];
    let everyoneAnswered!: () => void;
    const leave = new Promise<void>((resolve) => (everyoneAnswered = resolve));
    const attempts = Array.from(
      { length: FLOOD },
      () =>
        new Promise<{ code: number; connected: boolean; error?: string }>((resolve) => {
          const ws = new WebSocket(bridge.relayUrl, { origin, localAddress: FLOODER });
          let error: string | undefined;
          let connected = false;
          let answer!: () => void;
          answered.push(new Promise<void>((resolve) => (answer = resolve)));
          ws.on('open', () => ws.send(JSON.stringify({ type: 'connect', server: 'demo' })));
          ws.on('message', (data, isBinary) => {
            if (isBinary) return;
            const frame = JSON.parse(data.toString('utf8')) as { type: string; code?: string };
            if (frame.type === 'error') error = frame.code;
            if (frame.type === 'connected') {
              connected = true;
              answer();
              void leave.then(() => ws.close(1000));
            }
          });
          ws.on('error', () => undefined);
          // Refused before the upgrade: an HTTP status, and no WebSocket to hold open.
          ws.on('unexpected-response', (_request, response) => {
            response.resume();
            answer();
            resolve({ code: response.statusCode ?? 0, connected: false, error: 'http' });
          });
          ws.on('close', (code) => {
            answer();
            resolve(error === undefined ? { code, connected } : { code, connected, error });
          });
        }),
    );
    await Promise.all(answered);
    everyoneAnswered();
    const outcomes = await Promise.all(attempts);
    const relayed = outcomes.filter((o) => o.connected);
    const limited = outcomes.filter((o) => o.error === 'http');
    // Upgrades beyond handshakesPerIp (20) waiting at once are cut before the WebSocket opens (1006).
    const cut = outcomes.filter((o) => o.code === 1006);
    // Over the rate or the per-address limit: 429 before the upgrade, never a WebSocket.
    expect(limited.every((o) => o.code === 429)).toBe(true);
    expect(outcomes.some((o) => o.error === 'limit_reached')).toBe(false);
    expect(relayed.length + limited.length + cut.length).toBe(FLOOD);
    // At most 60 new relays a minute from that address (plus the bucket's refill during the test),
    // and never more than 20 open at once.
    expect(relayed.length).toBeLessThanOrEqual(63);
    expect(limited.length).toBeGreaterThan(0);
    // Another address is not held to the flooder's limits.
    await legitimateSession(bridge);
    await expect.poll(() => bridge.metric('webpop_bridge_connections_open'), { timeout: 5000 }).toBe(0);
    const after = await memory(bridge);
    expect(after.rss - before.rss).toBeLessThan(MEMORY_SLACK);
    expect(after.heap - before.heap).toBeLessThan(MEMORY_SLACK);
  });

  it('health checks and pages are answered while silent connections from many addresses fill the handshake total', async () => {
    const bridge = await bridgeFor({ connections: 100, handshakesPerIp: 20, handshakeSeconds: 30 });
    const port = Number(new URL(bridge.url).port);
    let open = 0;
    // 50 addresses x 4 silent connections: twice the total of 100, each address within its own 20.
    const sockets = Array.from({ length: 200 }, (_, i) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress: `127.0.1.${10 + (i % 50)}` });
      socket.on('error', () => undefined);
      socket.on('connect', () => open++);
      return socket;
    });
    try {
      await expect.poll(() => open, { timeout: 5000 }).toBe(200);
      const health = await fetch(`${bridge.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      await legitimateSession(bridge);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});
