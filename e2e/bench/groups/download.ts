// Download: RETR of one 50 MB message from Dovecot by the engine through our bridge, through a minimal
// ws→net relay (the physical limit of a Node relay), over direct TCP and through websockify, and by curl. Throughput over the whole session (connect, login, RETR).
import { randomBytes } from 'node:crypto';
import type { Credentials, Pop3Client } from '@webpop/pop3';
import { connectPop3 } from '@webpop/pop3/node';
import { startDovecot } from '@webpop/testkit';
import { startBridgeProcess } from '../lib/bridge-process.js';
import { liveThreadsCpuMs, treeCpuMs } from '../lib/process-cpu.js';
import { measure, progress, skipped, type Subject } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import { medianOf, type Result, type TargetCheck } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { findTool, missing } from '../lib/tools.js';
import { sessionThroughBridge, sessionThroughWebsockify } from '../lib/websocket-transports.js';
import { startWebsockify } from '../lib/websockify.js';
import { startMinimalRelay } from '../lib/minimal-relay.js';
import { launchChromium } from '../lib/browser.js';
import { buildBrowserEnginePage, retrInChromium, type BrowserEnginePage } from '../lib/browser-engine.js';
import { curlRetr } from '../peers/curl-retr.js';

const GROUP = 'download';
const MiB = 1024 * 1024;
/** Untimed sessions through each relay first: the same for both. */
const RELAY_WARMUPS = 5;

/** A plain-text message of `size` bytes: a small header and 78-byte CRLF lines. */
function bigMessage(size: number): Buffer {
  const header = Buffer.from('From: bench@webpop.example\r\nSubject: big\r\n\r\n');
  const line = Buffer.from(`${'x'.repeat(76)}\r\n`);
  const body = Buffer.alloc(Math.ceil((size - header.length) / line.length) * line.length);
  body.fill(line);
  return Buffer.concat([header, body]);
}

/** A relay in a process of its own. */
interface Relay {
  readonly pid: number;
  stop(): Promise<void>;
}

interface CpuLog {
  /** CPU ms of this process (the engine and its WebSocket client) per run. */
  readonly client: number[];
  /** CPU ms of the relay's processes per run (/proc ticks: 10 ms steps). */
  readonly relay: number[];
  /** CPU ms of the relay's live threads per run, to the microsecond (schedstat); not for websockify. */
  readonly relayPrecise: number[];
}

/** Megabytes per second over a whole session: open it, RETR 1, QUIT. CPU per process goes to `cpu`. */
async function engineThroughput(
  open: () => Promise<Pop3Client>,
  expected: number,
  cpu: CpuLog,
  relayPid?: number,
): Promise<number> {
  const clientBefore = process.cpuUsage();
  const relayBefore = relayPid === undefined ? 0 : treeCpuMs(relayPid);
  const preciseBefore = relayPid === undefined ? 0 : liveThreadsCpuMs(relayPid);
  const started = performance.now();
  const client = await open();
  const bytes = await client.retr(1);
  await client.quit();
  const seconds = (performance.now() - started) / 1000;
  if (bytes.length !== expected) throw new Error(`RETR gave ${bytes.length} bytes of ${expected}`);
  const used = process.cpuUsage(clientBefore);
  cpu.client.push((used.user + used.system) / 1000);
  if (relayPid !== undefined) {
    cpu.relay.push(treeCpuMs(relayPid) - relayBefore);
    cpu.relayPrecise.push(liveThreadsCpuMs(relayPid) - preciseBefore);
  }
  return bytes.length / MiB / seconds;
}

/** Throughput of one engine variant, plus its CPU rows (the timed runs only, not the warm-ups). */
async function engineRows(
  subject: Subject,
  runs: number,
  warmups: number,
  open: () => Promise<Pop3Client>,
  expected: number,
  relayPid?: number,
  /** The relay is one Node process: add the schedstat row. */
  precise = false,
): Promise<Result[]> {
  const cpu: CpuLog = { client: [], relay: [], relayPrecise: [] };
  const result = await measure(subject, runs, () => engineThroughput(open, expected, cpu, relayPid), warmups);
  if (result.skipped) return [result];
  const row = (what: string, samples: number[]): Result => ({
    group: subject.group,
    case: subject.case,
    subject: `${subject.subject}: ${what}`,
    unit: 'ms',
    samples: samples.slice(-runs),
  });
  return [
    result,
    row('CPU of the engine process', cpu.client),
    ...(relayPid === undefined ? [] : [row('CPU of the relay', cpu.relay)]),
    ...(relayPid !== undefined && precise
      ? [row("CPU of the relay's threads (schedstat, µs resolution)", cpu.relayPrecise)]
      : []),
  ];
}

/**
 * The engine in Chromium through the bridge (before the Node sessions through the same bridge, which
 * warm it up here): MB/s over the whole session, the page's main-thread task time and the relay's CPU.
 */
async function chromiumRows(
  subject: Subject,
  runs: number,
  bridge: Relay & { url: string },
  credentials: Credentials,
  expected: number,
): Promise<Result[]> {
  const browser = await launchChromium();
  const cpu: CpuLog = { client: [], relay: [], relayPrecise: [] };
  try {
    const account = { server: 'dovecot', username: credentials.username, password: credentials.password! };
    const result = await measure(
      subject,
      runs,
      async () => {
        const relayBefore = treeCpuMs(bridge.pid);
        const { bytes, ms, mainThreadMs } = await retrInChromium(browser, bridge.url, account);
        if (bytes !== expected) throw new Error(`RETR gave ${bytes} bytes of ${expected}`);
        cpu.client.push(mainThreadMs);
        cpu.relay.push(treeCpuMs(bridge.pid) - relayBefore);
        return bytes / MiB / (ms / 1000);
      },
      RELAY_WARMUPS,
    );
    if (result.skipped) return [result];
    const row = (what: string, samples: number[]): Result => ({
      ...subject,
      subject: `${subject.subject}: ${what}`,
      unit: 'ms',
      samples: samples.slice(-runs),
    });
    return [
      result,
      row("CPU of the page's main thread (Chromium TaskDuration)", cpu.client),
      row('CPU of the relay', cpu.relay),
    ];
  } finally {
    await browser.close();
  }
}

export async function downloadGroup(
  options: BenchOptions,
): Promise<{ results: Result[]; targets: TargetCheck[] }> {
  const megabytes = options.quick ? 5 : 50;
  const base = { group: GROUP, case: `RETR of a ${megabytes} MB message from Dovecot`, unit: 'MB/s' };
  const subjects = {
    bridge: { ...base, subject: 'webpop engine (Node) → our bridge → Dovecot' },
    minimal: { ...base, subject: 'webpop engine (Node) → minimal ws→net relay → Dovecot' },
    chromium: { ...base, subject: 'webpop engine in Chromium → our bridge → Dovecot' },
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
  const chromiumPath = findTool('chromium');
  let page: BrowserEnginePage | undefined;
  try {
    // The bridge also serves a page with the engine alone, for the RETR in Chromium.
    page = chromiumPath ? await buildBrowserEnginePage() : undefined;
    const bridge = await startBridgeProcess({
      servers: [{ id: 'dovecot', host: target.host, port: target.port, security: 'none' }],
      limits: { connectionsPerIpPerMinute: 100_000 },
      ...(page ? { staticDir: page.dir } : {}),
    });
    /** The rows of one relay process, which is stopped afterwards. */
    const relayRows = async (
      subject: Subject,
      relay: Relay,
      open: () => Promise<Pop3Client>,
      precise = false,
    ) => {
      try {
        const rows = await engineRows(
          subject,
          options.runs,
          RELAY_WARMUPS,
          open,
          message.length,
          relay.pid,
          precise,
        );
        results.push(...rows);
      } finally {
        await relay.stop();
      }
    };
    // A fresh bridge process: its relay path is optimised by V8 only after a few sessions (the
    // first RETR costs it three times the CPU of the fifth); a deployed bridge is long warm.
    if (page)
      results.push(
        ...(await chromiumRows(subjects.chromium, options.runs, bridge, credentials, message.length)),
      );
    else results.push(skipped(subjects.chromium, missing('chromium')));
    await relayRows(
      subjects.bridge,
      bridge,
      () => sessionThroughBridge(bridge, 'dovecot', credentials),
      true,
    );
    const minimal = await startMinimalRelay(target);
    await relayRows(
      subjects.minimal,
      minimal,
      () => sessionThroughWebsockify(minimal.url, credentials),
      true,
    );
    results.push(
      ...(await engineRows(
        subjects.direct,
        options.runs,
        1,
        () => connectPop3({ ...target, security: 'none', credentials }),
        message.length,
      )),
    );
    const websockifyPath = findTool('websockify');
    if (websockifyPath) {
      const websockify = await startWebsockify(websockifyPath, target);
      const open = () => sessionThroughWebsockify(websockify.url, credentials);
      await relayRows(subjects.websockify, websockify, open);
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
    page?.remove();
  }
  return { results, targets: downloadTargets(results) };
}

function downloadTargets(results: readonly Result[]): TargetCheck[] {
  const of = (subject: string) => medianOf(results.find((r) => r.subject === subject));
  const bridge = of('webpop engine (Node) → our bridge → Dovecot');
  const direct = of('webpop engine (Node) → Dovecot, direct TCP');
  const websockify = of('webpop engine (Node) → websockify → Dovecot');
  const minimal = of('webpop engine (Node) → minimal ws→net relay → Dovecot');
  const bridgeCpu = of('webpop engine (Node) → our bridge → Dovecot: CPU of the relay');
  const minimalCpu = of('webpop engine (Node) → minimal ws→net relay → Dovecot: CPU of the relay');
  const precise = ": CPU of the relay's threads (schedstat, µs resolution)";
  const bridgeThreads = of(`webpop engine (Node) → our bridge → Dovecot${precise}`);
  const minimalThreads = of(`webpop engine (Node) → minimal ws→net relay → Dovecot${precise}`);
  return [
    {
      target: 'RETR through our bridge ≥ 90% of the minimal ws→net relay',
      measured:
        bridge && minimal
          ? `${round((bridge / minimal) * 100)}% (${round(bridge)} vs ${round(minimal)} MB/s)`
          : 'missing',
      met: bridge && minimal ? bridge / minimal >= 0.9 : undefined,
    },
    {
      target: "RETR: the bridge's CPU ≤ 1.2× the minimal relay's",
      measured:
        bridgeCpu && minimalCpu
          ? `${round(bridgeCpu / minimalCpu)}× (${round(bridgeCpu)} vs ${round(minimalCpu)} ms)`
          : 'missing',
      met: bridgeCpu && minimalCpu ? bridgeCpu / minimalCpu <= 1.2 : undefined,
    },
    {
      target: "RETR: the bridge's CPU ≤ 1.2× the minimal relay's, to the microsecond (schedstat)",
      measured:
        bridgeThreads && minimalThreads
          ? `${round(bridgeThreads / minimalThreads)}× (${round(bridgeThreads)} vs ${round(minimalThreads)} ms)`
          : 'missing',
      met: bridgeThreads && minimalThreads ? bridgeThreads / minimalThreads <= 1.2 : undefined,
    },
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
