// Engine benchmarks: `pnpm bench` from the repository root. Prints a Markdown table and JSON of medians.
// Not a test: figures depend on the machine. Loopback only.
import { generateMessages, startPop3Server } from '@webpop/testkit';
import { ReplyReader } from '../src/protocol/reply-reader.js';
import { connectPop3 } from '../src/node/index.js';

interface Row {
  benchmark: string;
  median: number;
  unit: string;
  runs: number;
}

const runs = Number(process.env.BENCH_RUNS ?? 5);
const rows: Row[] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(benchmark: string, unit: string, once: () => Promise<number> | number): Promise<void> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await once());
  rows.push({ benchmark, median: Number(median(values).toFixed(1)), unit, runs });
}

/** A 50 MB dot-stuffed multi-line reply in 64 KiB chunks, parsed by the reader alone. */
function readerThroughput(): number {
  const line = `.${'x'.repeat(75)}\r\n`; // every line stuffed: the worst case for the reader
  const body = Buffer.from(line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
  const wire = Buffer.concat([Buffer.from('+OK\r\n'), body, Buffer.from('.\r\n')]);
  let received = 0;
  const reader = new ReplyReader({
    nextReplyKind: () => 'multi',
    status: () => {},
    body: (chunk) => {
      received += chunk.length;
    },
    end: () => {},
  });
  const started = performance.now();
  for (let i = 0; i < wire.length; i += 65536) reader.feed(wire.subarray(i, i + 65536));
  const seconds = (performance.now() - started) / 1000;
  if (received === 0) throw new Error('reader produced nothing');
  return wire.length / 1024 / 1024 / seconds;
}

async function listingTime(count: number, pipelining: boolean): Promise<number> {
  const password = 'bench';
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
  const password = 'bench';
  const line = `${'y'.repeat(998)}\r\n`;
  const message = Buffer.from(
    `Subject: big\r\n\r\n${line.repeat(Math.ceil((megabytes * 1024 * 1024) / line.length))}`,
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
    return bytes.length / 1024 / 1024 / seconds;
  } finally {
    await server.close();
  }
}

await measure('reply reader, 50 MB all-stuffed body, 64 KiB chunks', 'MB/s', readerThroughput);
await measure('list 1,000 messages (LIST+UIDL+TOP n 0), pipelined, loopback', 'ms', () =>
  listingTime(1000, true),
);
await measure('list 1,000 messages, one command at a time, loopback', 'ms', () => listingTime(1000, false));
await measure('RETR 50 MB from testkit server, loopback', 'MB/s', () => retrThroughput(50));

console.log(`\n| benchmark | median | unit | runs |\n| --- | ---: | --- | ---: |`);
for (const row of rows) console.log(`| ${row.benchmark} | ${row.median} | ${row.unit} | ${row.runs} |`);
console.log(`\n${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}`);
