// Concurrency: 1,000 sessions at once (login, STAT, LIST, UIDL, TOP of 10 messages, QUIT) against
// testkit's server through one bridge process, and the same through websockify. The clients run here;
// the bridge, websockify and the server each run in a process of their own.
import { randomBytes } from 'node:crypto';
import type { Credentials, Pop3Client } from '@webpop/pop3';
import { startBridgeProcess } from '../lib/bridge-process.js';
import { measure, progress, skipped, type Subject } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import { treeCpuMs } from '../lib/process-cpu.js';
import { sampleMemory, type MemoryPeak } from '../lib/process-memory.js';
import { medianOf, type Result, type TargetCheck } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';
import { startTestkitProcess } from '../lib/testkit-process.js';
import { findTool, missing } from '../lib/tools.js';
import { sessionThroughBridge, sessionThroughWebsockify } from '../lib/websocket-transports.js';
import { startWebsockify } from '../lib/websockify.js';
import { startMinimalRelay } from '../lib/minimal-relay.js';

const GROUP = 'concurrency';
const MiB = 1024 * 1024;

interface Round {
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly memory: MemoryPeak;
  readonly wallMs: number;
  /** CPU milliseconds used during the round by the relay, the POP3 server and the clients. */
  readonly cpu: { readonly relay: number; readonly server: number; readonly clients: number };
}

/** One session as a mail client would run it; resolves to its duration in ms. */
async function oneSession(open: () => Promise<Pop3Client>): Promise<number> {
  const started = performance.now();
  const client = await open();
  try {
    await client.stat();
    const entries = await client.messages();
    let headers = 0;
    await client.fetchEach({
      numbers: entries.slice(0, 10).map((entry) => entry.number),
      topLines: 0,
      onMessage: () => headers++,
    });
    if (headers !== 10) throw new Error(`${headers} of 10 headers`);
    await client.quit();
  } catch (error) {
    client.close();
    throw error;
  }
  return performance.now() - started;
}

/** Starts `sessions` sessions at once and waits for all; memory of the relay process tree is sampled. */
async function concurrentRound(
  sessions: number,
  pids: { relay: number; server: number },
  open: () => Promise<Pop3Client>,
): Promise<Round> {
  const memory = sampleMemory(pids.relay);
  const cpuBefore = {
    relay: treeCpuMs(pids.relay),
    server: treeCpuMs(pids.server),
    clients: process.cpuUsage(),
  };
  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: sessions }, () => oneSession(open)));
  const wallMs = performance.now() - started;
  const peak = memory.stop();
  const clients = process.cpuUsage(cpuBefore.clients);
  const cpu = {
    relay: treeCpuMs(pids.relay) - cpuBefore.relay,
    server: treeCpuMs(pids.server) - cpuBefore.server,
    clients: (clients.user + clients.system) / 1000,
  };
  const times = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
  return {
    p50: times.length > 0 ? percentile(times, 50) : NaN,
    p99: times.length > 0 ? percentile(times, 99) : NaN,
    errors: failures.length,
    firstError: failures[0]?.message,
    memory: peak,
    wallMs,
    cpu,
  };
}

export async function concurrencyGroup(
  options: BenchOptions,
): Promise<{ results: Result[]; targets: TargetCheck[] }> {
  const sessions = options.quick ? 100 : 1000;
  const runs = Math.min(options.runs, 3);
  const caseName = `${sessions.toLocaleString('en-US')} concurrent sessions, testkit server`;
  const rows = (relay: string) => {
    const base = { group: GROUP, case: caseName };
    return {
      p99: { ...base, subject: `${relay}: p99 session time`, unit: 'ms' },
      p50: { ...base, subject: `${relay}: median session time`, unit: 'ms' },
      errors: { ...base, subject: `${relay}: failed sessions`, unit: 'sessions' },
      rss: { ...base, subject: `${relay}: peak RSS`, unit: 'MB', note: 'all its processes' },
      pss: { ...base, subject: `${relay}: peak PSS`, unit: 'MB', note: 'shared pages counted once' },
      relayCpu: { ...base, subject: `${relay}: CPU time of the relay`, unit: 'ms' },
      serverCpu: { ...base, subject: `${relay}: CPU time of the POP3 server`, unit: 'ms' },
      clientCpu: { ...base, subject: `${relay}: CPU time of the clients (this process)`, unit: 'ms' },
      wall: { ...base, subject: `${relay}: all sessions done after`, unit: 'ms' },
    } satisfies Record<string, Subject>;
  };
  const password = randomBytes(9).toString('base64url');
  const credentials: Credentials = { username: 'bench', password, method: 'user', allowPlaintext: true };
  const results: Result[] = [];
  const server = await startTestkitProcess(password);

  interface Relay {
    readonly pid: number;
    open(): Promise<Pop3Client>;
    stop(): Promise<void>;
  }

  /**
   * Runs the rounds for one relay, each on a freshly started relay process (so each peak is that
   * round's own), and turns them into rows: each figure's median over the rounds.
   */
  const relayRows = async (relay: string, start: () => Promise<Relay>) => {
    const r = rows(relay);
    const rounds: Round[] = [];
    const once = async () => {
      const running = await start();
      let round: Round;
      try {
        // Warm up the relay (a deployed one has long been running) with a tenth of the sessions.
        await Promise.all(
          Array.from({ length: Math.ceil(sessions / 10) }, () => oneSession(() => running.open())),
        );
        round = await concurrentRound(sessions, { relay: running.pid, server: server.pid }, () =>
          running.open(),
        );
      } finally {
        await running.stop();
      }
      progress(
        `${relay}: p50 ${round.p50.toFixed(0)} ms, p99 ${round.p99.toFixed(0)} ms, ${round.errors} errors${round.firstError ? ` (${round.firstError})` : ''}, RSS ${(round.memory.rss / MiB).toFixed(0)} MB in ${round.memory.processes} processes, ${round.wallMs.toFixed(0)} ms in all; CPU ms: relay ${round.cpu.relay.toFixed(0)}, server ${round.cpu.server.toFixed(0)}, clients ${round.cpu.clients.toFixed(0)}`,
      );
      rounds.push(round);
      return round.p99;
    };
    const p99 = await measure(r.p99, runs, once, 0);
    results.push(p99);
    if (p99.skipped) return;
    const values = (pick: (round: Round) => number) => rounds.map(pick);
    results.push({ ...r.p50, samples: values((x) => x.p50) });
    results.push({ ...r.errors, samples: values((x) => x.errors) });
    results.push({ ...r.rss, samples: values((x) => x.memory.rss / MiB) });
    results.push({ ...r.pss, samples: values((x) => x.memory.pss / MiB) });
    results.push({ ...r.wall, samples: values((x) => x.wallMs) });
    results.push({ ...r.relayCpu, samples: values((x) => x.cpu.relay) });
    results.push({ ...r.serverCpu, samples: values((x) => x.cpu.server) });
    results.push({ ...r.clientCpu, samples: values((x) => x.cpu.clients) });
  };

  try {
    const bridgeConfig = {
      servers: [{ id: 'testkit', host: server.host, port: server.port, security: 'none' }],
      // Every client here shares one address, which the per-address limits exist to stop.
      limits: {
        connections: sessions * 2,
        connectionsPerIp: sessions * 2,
        connectionsPerIpPerMinute: 100_000,
        handshakesPerIp: sessions * 2,
      },
    };
    await relayRows('our bridge', async () => {
      const bridge = await startBridgeProcess(bridgeConfig);
      return {
        pid: bridge.pid,
        open: () => sessionThroughBridge(bridge, 'testkit', credentials),
        stop: bridge.stop,
      };
    });
    await relayRows('minimal relay', async () => {
      const relay = await startMinimalRelay(server);
      return {
        pid: relay.pid,
        open: () => sessionThroughWebsockify(relay.url, credentials),
        stop: relay.stop,
      };
    });
    const websockifyPath = findTool('websockify');
    if (websockifyPath) {
      await relayRows('websockify', async () => {
        const websockify = await startWebsockify(websockifyPath, server);
        return {
          pid: websockify.pid,
          open: () => sessionThroughWebsockify(websockify.url, credentials),
          stop: websockify.stop,
        };
      });
    } else {
      for (const subject of Object.values(rows('websockify')))
        results.push(skipped(subject, missing('websockify')));
    }
  } finally {
    await server.stop();
  }
  return { results, targets: concurrencyTargets(results, sessions) };
}

function concurrencyTargets(results: readonly Result[], sessions: number): TargetCheck[] {
  const of = (subject: string) => medianOf(results.find((r) => r.subject === subject));
  const errors = of('our bridge: failed sessions');
  const rss = of('our bridge: peak RSS');
  const p99 = of('our bridge: p99 session time');
  const wsRss = of('websockify: peak RSS');
  const wsPss = of('websockify: peak PSS');
  const wsP99 = of('websockify: p99 session time');
  const minimalP99 = of('minimal relay: p99 session time');
  const cpu = of('our bridge: CPU time of the relay');
  const minimalCpu = of('minimal relay: CPU time of the relay');
  const n = sessions.toLocaleString('en-US');
  return [
    {
      target: "CPU per session: the bridge's ≤ 1.2× the minimal ws→net relay's",
      measured:
        cpu && minimalCpu
          ? `${round(cpu / minimalCpu)}× (${round(cpu / sessions)} vs ${round(minimalCpu / sessions)} ms a session)`
          : 'missing',
      met: cpu && minimalCpu ? cpu / minimalCpu <= 1.2 : undefined,
    },
    {
      target: "p99 session time: the relay's share (bridge p99 − minimal relay p99, of the bridge's)",
      measured:
        p99 && minimalP99
          ? `${round(Math.max(0, p99 - minimalP99))} of ${round(p99)} ms (minimal relay: ${round(minimalP99)} ms)`
          : 'missing',
      met: undefined,
    },
    {
      target: `${n} concurrent sessions through the bridge: no errors`,
      measured: errors === undefined ? 'missing' : `${errors} failed`,
      met: errors === undefined ? undefined : errors === 0,
    },
    {
      target: 'bridge RSS under 150 MB',
      measured: rss === undefined ? 'missing' : `${round(rss)} MB`,
      met: rss === undefined ? undefined : rss < 150,
    },
    {
      target: 'p99 session time under 1 s',
      measured: p99 === undefined ? 'missing' : `${round(p99)} ms`,
      met: p99 === undefined ? undefined : p99 < 1000,
    },
    {
      target: 'better than websockify on memory',
      measured:
        rss === undefined || wsRss === undefined
          ? 'missing'
          : `${round(rss)} MB vs ${round(wsRss)} MB RSS (${wsPss === undefined ? '?' : round(wsPss)} MB PSS)`,
      met: rss === undefined || wsRss === undefined ? undefined : rss < (wsPss ?? wsRss),
    },
    {
      target: 'better than websockify on p99 session time',
      measured: p99 === undefined || wsP99 === undefined ? 'missing' : `${round(p99)} vs ${round(wsP99)} ms`,
      met: p99 === undefined || wsP99 === undefined ? undefined : p99 < wsP99,
    },
  ];
}
