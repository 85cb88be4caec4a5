// Download: RETR of one 50 MB message from Dovecot by the engine through our bridge, over direct TCP
// and through websockify, and by curl. Throughput over the whole session (connect, login, RETR).
import { randomBytes } from 'node:crypto';
import type { Credentials, Pop3Client } from '@webpop/pop3';
import { connectPop3 } from '@webpop/pop3/node';
import { startDovecot } from '@webpop/testkit';
import { startBridgeProcess } from '../lib/bridge-process.js';
import { measure, progress, skipped } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import { medianOf, type Result, type TargetCheck } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { findTool, missing } from '../lib/tools.js';
import { sessionThroughBridge, sessionThroughWebsockify } from '../lib/websocket-transports.js';
import { startWebsockify } from '../lib/websockify.js';
import { curlRetr } from '../peers/curl-retr.js';

const GROUP = 'download';
const MiB = 1024 * 1024;

/** A plain-text message of `size` bytes: a small header and 78-byte CRLF lines. */
function bigMessage(size: number): Buffer {
  const header = Buffer.from('From: bench@webpop.example\r\nSubject: big\r\n\r\n');
  const line = Buffer.from(`${'x'.repeat(76)}\r\n`);
  const body = Buffer.alloc(Math.ceil((size - header.length) / line.length) * line.length);
  body.fill(line);
  return Buffer.concat([header, body]);
}

/** Megabytes per second over a whole session: open it, RETR 1, QUIT. */
async function engineThroughput(open: () => Promise<Pop3Client>, expected: number): Promise<number> {
  const started = performance.now();
  const client = await open();
  const bytes = await client.retr(1);
  await client.quit();
  const seconds = (performance.now() - started) / 1000;
  if (bytes.length !== expected) throw new Error(`RETR gave ${bytes.length} bytes of ${expected}`);
  return bytes.length / MiB / seconds;
}

export async function downloadGroup(
  options: BenchOptions,
): Promise<{ results: Result[]; targets: TargetCheck[] }> {
  const megabytes = options.quick ? 5 : 50;
  const base = { group: GROUP, case: `RETR of a ${megabytes} MB message from Dovecot`, unit: 'MB/s' };
  const subjects = {
    bridge: { ...base, subject: 'webpop engine (Node) → our bridge → Dovecot' },
    direct: { ...base, subject: 'webpop engine (Node) → Dovecot, direct TCP' },
    websockify: { ...base, subject: 'webpop engine (Node) → websockify → Dovecot' },
    curl: { ...base, subject: 'curl pop3:// → Dovecot, direct TCP' },
  };
  const results: Result[] = [];
  if (!findTool('dovecot')) {
    for (const subject of Object.values(subjects)) results.push(skipped(subject, missing('dovecot')));
    return { results, targets: downloadTargets(results) };
  }
  const username = 'big';
  const password = randomBytes(9).toString('base64url');
  const message = bigMessage(megabytes * MiB);
  progress(`download: Dovecot with one ${megabytes} MB message`);
  const dovecot = await startDovecot({
    users: [{ username, password }],
    messages: { [username]: [message] },
    extraConfig: 'mail_max_userip_connections = 1000',
  });
  const target = { host: dovecot.host, port: dovecot.pop3Port };
  const credentials: Credentials = { username, password, method: 'user', allowPlaintext: true };
  try {
    const bridge = await startBridgeProcess({
      servers: [{ id: 'dovecot', host: target.host, port: target.port, security: 'none' }],
      limits: { connectionsPerIpPerMinute: 100_000 },
    });
    try {
      results.push(
        await measure(
          subjects.bridge,
          options.runs,
          () => engineThroughput(() => sessionThroughBridge(bridge, 'dovecot', credentials), message.length),
          // A fresh bridge process: let its JIT warm up, as a deployed bridge's has.
          2,
        ),
      );
    } finally {
      await bridge.stop();
    }
    results.push(
      await measure(
        subjects.direct,
        options.runs,
        () =>
          engineThroughput(() => connectPop3({ ...target, security: 'none', credentials }), message.length),
        1,
      ),
    );
    const websockifyPath = findTool('websockify');
    if (websockifyPath) {
      const websockify = await startWebsockify(websockifyPath, target);
      try {
        results.push(
          await measure(
            subjects.websockify,
            options.runs,
            () =>
              engineThroughput(() => sessionThroughWebsockify(websockify.url, credentials), message.length),
            1,
          ),
        );
      } finally {
        await websockify.stop();
      }
    } else results.push(skipped(subjects.websockify, missing('websockify')));
    const curl = findTool('curl');
    results.push(
      curl
        ? await measure(
            subjects.curl,
            options.runs,
            async () => {
              const { bytes, seconds } = await curlRetr(curl, target, username, password);
              if (bytes !== message.length)
                throw new Error(`curl received ${bytes} bytes of ${message.length}`);
              return bytes / MiB / seconds;
            },
            1,
          )
        : skipped(subjects.curl, missing('curl')),
    );
  } finally {
    await dovecot.stop();
  }
  return { results, targets: downloadTargets(results) };
}

function downloadTargets(results: readonly Result[]): TargetCheck[] {
  const of = (prefix: string) => medianOf(results.find((r) => r.subject.includes(prefix)));
  const bridge = of('our bridge');
  const direct = of('engine (Node) → Dovecot, direct');
  const websockify = of('websockify');
  return [
    {
      target: 'RETR through our bridge ≥ 80% of the engine over direct TCP',
      measured:
        bridge && direct
          ? `${round((bridge / direct) * 100)}% (${round(bridge)} vs ${round(direct)} MB/s)`
          : 'missing',
      met: bridge && direct ? bridge / direct >= 0.8 : undefined,
    },
    {
      target: 'RETR through our bridge ahead of websockify',
      measured: bridge && websockify ? `${round(bridge)} vs ${round(websockify)} MB/s` : 'missing',
      met: bridge && websockify ? bridge > websockify : undefined,
    },
  ];
}
