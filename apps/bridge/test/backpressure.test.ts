// Backpressure both ways, measured on a bridge in its own process (so the test's own buffers do not
// count): a 100 MB RETR to a browser that reads slowly, and a browser that sends faster than the mail
// server reads. Without backpressure the bridge would hold the whole transfer (> 100 MiB); with it, it
// holds at most about `bufferBytes`.
//
// Three figures are sampled from the bridge every 50 ms: the bytes it holds for the other side
// (`webpop_bridge_buffered_bytes`, exact), its RSS (/proc), and the memory of its Buffers
// (`nodejs_array_buffers_bytes`). The last two include Buffers already relayed but not yet collected:
// V8 collects them once a few tens of MiB of such external memory have piled up, which is a fixed
// overhead whatever the message size.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { spawnBridge, stopAllChildren, type ChildBridge } from './support/child-bridge.js';
import { RelayClient } from './support/relay-client.js';

const MiB = 1024 * 1024;
const BUFFER_BYTES = 1 * MiB;
/** The largest read from a socket, which may go out on top of a full buffer before the pause. */
const CHUNK_SLACK = 128 * 1024;
/** The RSS growth allowed over bufferBytes: the garbage described above, well below the 100 MiB transfer. */
const RSS_SLACK = 56 * MiB;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const grew = (bytes: number) => `${bytes >= 0 ? '+' : '-'}${mb(Math.abs(bytes))}`;

/** About `size` bytes of 78-byte CRLF lines under a small header. */
function message(size: number): Buffer {
  const header = Buffer.from('Subject: big\r\n\r\n');
  const line = Buffer.from(`${'x'.repeat(76)}\r\n`);
  const body = Buffer.alloc(Math.ceil((size - header.length) / line.length) * line.length);
  body.fill(line);
  return Buffer.concat([header, body]);
}

interface Sample {
  rss: number;
  buffers: number;
  heldForClient: number;
  heldForServer: number;
}

async function sample(bridge: ChildBridge): Promise<Sample> {
  return {
    rss: bridge.rssBytes(),
    buffers: await bridge.metric('nodejs_array_buffers_bytes'),
    heldForClient: await bridge.metric('webpop_bridge_buffered_bytes{direction="to_client"}'),
    heldForServer: await bridge.metric('webpop_bridge_buffered_bytes{direction="to_server"}'),
  };
}

/** Samples the bridge while `during` runs; returns the baseline and the peak of each figure. */
async function measure(
  bridge: ChildBridge,
  during: () => Promise<void>,
): Promise<{ baseline: Sample; peak: Sample }> {
  const baseline = await sample(bridge);
  const peak = { ...baseline };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const now = await sample(bridge);
      for (const key of Object.keys(peak) as Array<keyof Sample>) peak[key] = Math.max(peak[key], now[key]);
      await sleep(50);
    }
  })();
  try {
    await during();
  } finally {
    sampling = false;
    await sampler;
  }
  return { baseline, peak };
}

describe('backpressure', () => {
  let pop3: RunningPop3Server;
  const big = message(100 * MiB);
  const warmup = message(2 * MiB);

  beforeAll(async () => {
    pop3 = await startPop3Server({
      accounts: [{ username: 'big', password: 'pw', messages: [warmup, big] }],
    });
  });

  afterEach(stopAllChildren);

  afterAll(async () => {
    await pop3?.close();
  });

  it('a 100 MB RETR to a slow reader: the bridge holds at most bufferBytes, and it all arrives intact', async () => {
    const running = await spawnBridge({
      servers: [{ id: 'big', host: '127.0.0.1', port: pop3.port, security: 'none' }],
      limits: { bufferBytes: BUFFER_BYTES },
    });
    const { client } = await RelayClient.connect(running.relayUrl, { server: 'big' });
    expect(await client.line()).toMatch(/^\+OK/);
    client.command('USER big');
    client.command('PASS pw');
    expect(await client.line()).toMatch(/^\+OK/);
    expect(await client.line()).toMatch(/^\+OK/);
    // Warm up (JIT, socket buffers, allocator) with a 2 MB message read at full speed.
    client.command('RETR 1');
    expect(await client.line()).toMatch(/^\+OK/);
    expect((await client.multiline()).length).toBe(warmup.length);
    await sleep(300);

    const hash = createHash('sha256');
    let received = 0;
    let statusLine: string | undefined;
    let tail = Buffer.alloc(0);
    const expectedTotal = big.length + 3; // the body, then ".\r\n" (no line starts with a dot)
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    client.divert = (chunk) => {
      let data = chunk;
      if (statusLine === undefined) {
        const end = data.indexOf('\r\n');
        statusLine = data.subarray(0, end).toString('latin1');
        data = data.subarray(end + 2);
      }
      hash.update(data);
      received += data.length;
      tail = Buffer.concat([tail, data]).subarray(-5);
      if (received >= expectedTotal) done();
    };

    let whilePaused: Sample | undefined;
    let pausedMs = 0;
    const started = Date.now();
    const { baseline, peak } = await measure(running, async () => {
      client.ws.pause();
      client.command('RETR 2');
      // Not reading at all for a while: the bridge must stop reading from the mail server.
      await sleep(2000);
      pausedMs += 2000;
      whilePaused = await sample(running);
      // Then a slow reader: a little reading, a longer pause, until it is all there.
      const deadline = Date.now() + 120_000;
      while (received < expectedTotal && Date.now() < deadline) {
        client.ws.resume();
        await sleep(2);
        client.ws.pause();
        await sleep(15);
        pausedMs += 15;
      }
      client.ws.resume();
      await finished;
      client.divert = undefined;
    });
    const paused = whilePaused as Sample;
    console.log(
      `[bridge memory] slow reader, 100 MiB RETR, bufferBytes ${mb(BUFFER_BYTES)}, ${Date.now() - started} ms ` +
        `(${pausedMs} ms not reading): bytes held for the browser peak ${mb(peak.heldForClient)}; ` +
        `with the reader stopped: RSS ${grew(paused.rss - baseline.rss)}, Buffers ${grew(paused.buffers - baseline.buffers)}; ` +
        `peak over the whole transfer: RSS ${grew(peak.rss - baseline.rss)}, Buffers ${grew(peak.buffers - baseline.buffers)} ` +
        `(relayed Buffers not yet collected included); RSS at start ${mb(baseline.rss)}`,
    );

    expect(statusLine).toMatch(/^\+OK/);
    expect(received).toBe(expectedTotal);
    expect(tail.toString('latin1')).toBe('\r\n.\r\n');
    expect(hash.digest('hex')).toBe(
      createHash('sha256')
        .update(Buffer.concat([big, Buffer.from('.\r\n')]))
        .digest('hex'),
    );
    expect(peak.heldForClient).toBeGreaterThan(BUFFER_BYTES / 2); // the buffer did fill up
    expect(peak.heldForClient).toBeLessThanOrEqual(BUFFER_BYTES + CHUNK_SLACK);
    expect(paused.heldForClient).toBeLessThanOrEqual(BUFFER_BYTES + CHUNK_SLACK);
    expect(paused.rss - baseline.rss).toBeLessThan(BUFFER_BYTES + RSS_SLACK);
    expect(peak.rss - baseline.rss).toBeLessThan(BUFFER_BYTES + RSS_SLACK);

    client.command('QUIT');
    expect(await client.line()).toMatch(/^\+OK/);
    expect((await client.closed).code).toBe(1000);
    const log = await running.waitForLine((line) => line.event === 'session');
    expect(log.bytesToClient).toBeGreaterThan(big.length);
  }, 180_000);

  it('a browser sending faster than the mail server reads: the bridge stops reading the WebSocket', async () => {
    // A mail server that greets and then does not read until told to.
    let serverSocket: net.Socket | undefined;
    let serverReceived = 0;
    const server = net.createServer((socket) => {
      serverSocket = socket;
      socket.write('+OK slow reader\r\n');
      socket.pause();
      socket.on('data', (data) => (serverReceived += data.length));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const running = await spawnBridge({
      servers: [{ id: 'slow', host: '127.0.0.1', port, security: 'none' }],
      limits: { bufferBytes: BUFFER_BYTES },
    });
    try {
      const { client } = await RelayClient.connect(running.relayUrl, { server: 'slow' });
      expect(await client.line()).toBe('+OK slow reader');
      const frame = Buffer.alloc(60 * 1024, 0x61);
      const frames = 800; // about 47 MiB
      let stillInSender = 0;
      const { baseline, peak } = await measure(running, async () => {
        for (let i = 0; i < frames; i++) client.sendBytes(frame);
        await sleep(2000);
        stillInSender = client.ws.bufferedAmount;
      });
      console.log(
        `[bridge memory] fast sender, stalled server, ${mb(frames * frame.length)}: bytes held for the server peak ` +
          `${mb(peak.heldForServer)}; RSS ${grew(peak.rss - baseline.rss)}, Buffers ${grew(peak.buffers - baseline.buffers)}; ` +
          `still waiting in the sender ${mb(stillInSender)}`,
      );
      // The bridge stopped reading, so most of it is still waiting in the sender.
      expect(stillInSender).toBeGreaterThan((frames * frame.length) / 2);
      expect(peak.heldForServer).toBeLessThanOrEqual(BUFFER_BYTES + CHUNK_SLACK);
      expect(peak.rss - baseline.rss).toBeLessThan(BUFFER_BYTES + RSS_SLACK);
      // Once the server reads, everything arrives.
      serverSocket?.resume();
      const deadline = Date.now() + 60_000;
      while (serverReceived < frames * frame.length && Date.now() < deadline) await sleep(20);
      expect(serverReceived).toBe(frames * frame.length);
      client.close();
      await client.closed;
    } finally {
      server.close();
      serverSocket?.destroy();
    }
  }, 120_000);
});
