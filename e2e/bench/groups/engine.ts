// The engine alone (what used to be packages/pop3/bench): reply throughput with no network, and
// listing and RETR against testkit's server on loopback, pipelined and one command at a time.
import { randomBytes } from 'node:crypto';
import { Pop3Client, type TlsInfo, type Transport, type TransportReceiver } from '@webpop/pop3';
import { connectPop3 } from '@webpop/pop3/node';
import { generateMessages, startPop3Server } from '@webpop/testkit';
import { measure } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import type { Result, TargetCheck } from '../lib/report.js';

const GROUP = 'engine';
const MiB = 1024 * 1024;

/** A server in memory: greets, then answers RETR 1 with `reply` cut into 64 KiB chunks. */
class MemoryServer implements Transport {
  readonly tls: TlsInfo | null = null;
  private receiver: TransportReceiver | undefined;
  constructor(private readonly reply: Uint8Array) {}
  attach(receiver: TransportReceiver): void {
    this.receiver = receiver;
    receiver.data(new TextEncoder().encode('+OK ready\r\n'));
  }
  send(bytes: Uint8Array): void {
    if (new TextDecoder().decode(bytes) !== 'RETR 1\r\n') throw new Error('unexpected command');
    queueMicrotask(() => {
      for (let i = 0; i < this.reply.length; i += 65536)
        this.receiver!.data(this.reply.subarray(i, i + 65536));
    });
  }
  startTls(): Promise<TlsInfo> {
    return Promise.reject(new Error('no TLS in memory'));
  }
  close(): void {
    this.receiver?.closed();
  }
}

/** A 50 MB reply where every line is dot-stuffed: the worst case for the reply reader. */
async function replyThroughput(megabytes: number): Promise<number> {
  const line = `..${'x'.repeat(74)}\r\n`;
  const body = Buffer.from(line.repeat(Math.ceil((megabytes * MiB) / line.length)));
  const wire = Buffer.concat([Buffer.from('+OK\r\n'), body, Buffer.from('.\r\n')]);
  const client = await Pop3Client.connect(new MemoryServer(wire));
  const started = performance.now();
  const bytes = await client.retr(1);
  const seconds = (performance.now() - started) / 1000;
  client.close();
  if (bytes.length !== body.length - body.length / line.length) throw new Error('wrong unstuffed length');
  return wire.length / MiB / seconds;
}

async function listingTime(count: number, pipelining: boolean): Promise<number> {
  const password = randomBytes(9).toString('base64url');
  const server = await startPop3Server({
    accounts: [{ username: 'bench', password, messages: generateMessages(count, { seed: 3 }) }],
    features: { pipelining },
  });
  try {
    const started = performance.now();
    const client = await connectPop3({
      host: server.host,
      port: server.port,
      security: 'none',
      credentials: { username: 'bench', password, method: 'user', allowPlaintext: true },
    });
    const entries = await client.messages();
    let headers = 0;
    await client.fetchEach({
      numbers: entries.map((e) => e.number).reverse(),
      topLines: 0,
      onMessage: () => headers++,
    });
    await client.quit();
    if (headers !== count) throw new Error(`listed ${headers} of ${count}`);
    return performance.now() - started;
  } finally {
    await server.close();
  }
}

async function retrThroughput(megabytes: number): Promise<number> {
  const password = randomBytes(9).toString('base64url');
  const line = `${'y'.repeat(998)}\r\n`;
  const message = Buffer.from(
    `Subject: big\r\n\r\n${line.repeat(Math.ceil((megabytes * MiB) / line.length))}`,
  );
  const server = await startPop3Server({ accounts: [{ username: 'bench', password, messages: [message] }] });
  try {
    const client = await connectPop3({
      host: server.host,
      port: server.port,
      security: 'none',
      credentials: { username: 'bench', password, method: 'user', allowPlaintext: true },
    });
    const started = performance.now();
    const bytes = await client.retr(1);
    const seconds = (performance.now() - started) / 1000;
    await client.quit();
    if (bytes.length !== message.length) throw new Error('short RETR');
    return bytes.length / MiB / seconds;
  } finally {
    await server.close();
  }
}

export async function engineGroup(
  options: BenchOptions,
): Promise<{ results: Result[]; targets: TargetCheck[] }> {
  const megabytes = options.quick ? 5 : 50;
  const count = options.quick ? 200 : 1000;
  const n = count.toLocaleString('en-US');
  const results = [
    await measure(
      {
        group: GROUP,
        case: `${megabytes} MB reply, every line dot-stuffed, no network`,
        subject: 'webpop engine (RETR in memory)',
        unit: 'MB/s',
      },
      options.runs,
      () => replyThroughput(megabytes),
      1,
    ),
    await measure(
      {
        group: GROUP,
        case: `list ${n} messages (LIST+UIDL+TOP n 0), testkit, loopback`,
        subject: 'webpop engine, pipelined',
        unit: 'ms',
      },
      options.runs,
      () => listingTime(count, true),
      1,
    ),
    await measure(
      {
        group: GROUP,
        case: `list ${n} messages (LIST+UIDL+TOP n 0), testkit, loopback`,
        subject: 'webpop engine, one command at a time (no PIPELINING)',
        unit: 'ms',
      },
      options.runs,
      () => listingTime(count, false),
      1,
    ),
    await measure(
      {
        group: GROUP,
        case: `RETR of a ${megabytes} MB message, testkit, loopback`,
        subject: 'webpop engine (Node)',
        unit: 'MB/s',
      },
      options.runs,
      () => retrThroughput(megabytes),
      1,
    ),
  ];
  return { results, targets: [] };
}
