// Where the SMTP engine's CPU goes on one large message: the engine sends a message with a 25 MiB
// attachment (base64: 35.9 MB) to a minimal sink (`peers/smtp-sink.mjs`, a process of its own, so the
// receiving side costs next to nothing), over direct TCP and through the built bridge's submission
// relay (the `ws` client as the bench uses it). Prints, per message, the wall time, this process's CPU
// (the engine, and on the bridge path the `ws` client) and the bridge's CPU (schedstat). Not a
// benchmark: run it under `node --cpu-prof` for the functions, or two trees side by side for a
// before/after. `--eight-bit given` passes `eightBit: false` as the web app's builder does (the bench's
// message is 7-bit; it is checked first); `scan` (the default) lets the engine look.
//
//   node --conditions=@webpop/source --import tsx e2e/bench/profile/smtp-send.ts [--runs 5] [--path direct|bridge|both] [--eight-bit scan|given]
import { isAscii } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { SmtpClient } from '@webpop/smtp';
import { openSubmission } from '@webpop/smtp';
import { connectSubmissionWebSocketTransport } from '@webpop/smtp/browser';
import { connectSmtp } from '@webpop/smtp/node';
import { attachmentPart, multipartMessage } from '@webpop/testkit';
import { startBridgeProcess } from '../lib/bridge-process.js';
import { startPortChild } from '../lib/child-process.js';
import { liveThreadsCpuMs } from '../lib/process-cpu.js';
import { browserLikeWebSocket } from '../lib/websocket-transports.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmups: { type: 'string', default: '2' },
    path: { type: 'string', default: 'both' },
    'eight-bit': { type: 'string', default: 'scan' },
    mib: { type: 'string', default: '25' },
  },
});
const runs = Number(values.runs);
const warmups = Number(values.warmups);
const load = () =>
  loadavg()
    .map((v) => v.toFixed(1))
    .join('/');

const address = 'alice@example.org';
const message = multipartMessage({
  headers: [`From: ${address}`, `To: ${address}`, 'Subject: a large attachment'],
  parts: [
    { type: 'text/plain; charset=utf-8', text: 'The attachment follows.' },
    attachmentPart(
      'application/octet-stream; name="data.bin"',
      randomBytes(Number(values.mib) * 1024 * 1024),
      'data.bin',
    ),
  ],
});
if (!isAscii(message)) throw new Error('the message is not 7-bit');
const sendOptions = values['eight-bit'] === 'given' ? { eightBit: false } : {};

const sink = await startPortChild(
  [fileURLToPath(new URL('../peers/smtp-sink.mjs', import.meta.url))],
  'the SMTP sink',
);
const bridge = await startBridgeProcess({
  servers: [
    {
      id: 'sink',
      host: '127.0.0.1',
      port: sink.port,
      security: 'none',
      submission: { host: '127.0.0.1', port: sink.port, security: 'none' },
    },
  ],
  limits: { connectionsPerIpPerMinute: 100_000 },
});

const opens: Record<string, () => Promise<SmtpClient>> = {
  direct: () => connectSmtp({ host: '127.0.0.1', port: sink.port, security: 'none' }),
  bridge: async () => {
    const transport = await connectSubmissionWebSocketTransport({
      url: bridge.relayUrl,
      target: { server: 'sink' },
      WebSocket: browserLikeWebSocket(bridge.url),
    });
    return openSubmission(transport, { security: transport.connected.security });
  },
};

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

try {
  const paths = values.path === 'both' ? ['direct', 'bridge'] : [values.path!];
  for (const path of paths) {
    const open = opens[path]!;
    for (let run = -warmups; run < runs; run++) {
      const startLoad = load();
      const cpu = ownCpuMs();
      const bridgeCpu = liveThreadsCpuMs(bridge.pid);
      const started = performance.now();
      const client = await open();
      await client.send({ from: address, to: [address] }, message, sendOptions);
      await client.quit();
      const wall = performance.now() - started;
      if (run < 0) continue;
      const fields = [
        `${path}`,
        `wall ${wall.toFixed(0)} ms (${(message.length / 1e6 / (wall / 1000)).toFixed(1)} MB/s)`,
        `own CPU ${(ownCpuMs() - cpu).toFixed(0)} ms`,
        ...(path === 'bridge'
          ? [`bridge CPU ${(liveThreadsCpuMs(bridge.pid) - bridgeCpu).toFixed(0)} ms`]
          : []),
        `load ${startLoad}`,
      ];
      console.log(fields.join(' · '));
    }
  }
} finally {
  await bridge.stop();
  await sink.stop();
}
