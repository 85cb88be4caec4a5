// Listing: from clicking "Sign in" to the last row in real Chromium through the real bridge, beside
// Python's poplib (one TOP at a time) and a raw client pipelining every TOP, on one Dovecot and link.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from '@playwright/test';
import { connectPop3 } from '@webpop/pop3/node';
import { generateMessages, startDovecot, type RunningDovecot } from '@webpop/testkit';
import { startBridgeProcess, type BridgeProcess } from '../lib/bridge-process.js';
import { freshContext, launchChromium } from '../lib/browser.js';
import { startDelayProxy, type DelayProxy } from '../lib/delay-proxy.js';
import { measure, progress, skipped, type Subject } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import { medianOf, type Result, type TargetCheck } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { findTool, missing } from '../lib/tools.js';
import { buildWebApp } from '../lib/web-build.js';
import { signInAndTimeList, type ListingTiming } from '../lib/web-session.js';
import { rawFirstHeader, rawPipelinedListing } from '../peers/raw-pipelined.js';

const run = promisify(execFile);
const poplibScript = fileURLToPath(new URL('../peers/poplib_sequential.py', import.meta.url));
const GROUP = 'listing';
const ONE_WAY_DELAY_MS = 25;

interface Mailbox {
  readonly count: number;
  readonly username: string;
}

interface Link {
  readonly rttMs: number;
  /** The configured server id in the bridge. */
  readonly serverId: string;
  readonly label: string;
  readonly host: string;
  readonly port: number;
}

const thousands = (n: number) => n.toLocaleString('en-US');

/** Signs in on a fresh browser context (so no cached headers) and times the list. */
async function listInChromium(
  browser: Browser,
  bridge: BridgeProcess,
  link: Pick<Link, 'label'>,
  mailbox: Mailbox,
  password: string,
): Promise<ListingTiming> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    return await signInAndTimeList(page, bridge.url, {
      serverLabel: link.label,
      username: mailbox.username,
      password,
      messages: mailbox.count,
    });
  } finally {
    await context.close();
  }
}

/** The engine in Node straight to the server: STAT+LIST+UIDL, then every TOP n 0 in one pipelined call. */
async function listWithEngine(link: Link, mailbox: Mailbox, password: string): Promise<number> {
  const started = performance.now();
  const client = await connectPop3({
    host: link.host,
    port: link.port,
    security: 'none',
    credentials: { username: mailbox.username, password, allowPlaintext: true },
  });
  const [, entries] = await Promise.all([client.stat(), client.messages()]);
  let headers = 0;
  await client.fetchEach({
    numbers: entries.map((entry) => entry.number).reverse(),
    topLines: 0,
    onMessage: () => headers++,
  });
  // Listed: like the app, which stays signed in. QUIT is a round trip of its own.
  const elapsed = performance.now() - started;
  await client.quit();
  if (headers !== mailbox.count) throw new Error(`listed ${headers} of ${mailbox.count}`);
  return elapsed;
}

async function listWithPoplib(
  python: string,
  link: Link,
  mailbox: Mailbox,
  password: string,
): Promise<number> {
  const { stdout } = await run(python, [poplibScript, link.host, String(link.port), mailbox.username], {
    env: { ...process.env, BENCH_POP3_PASSWORD: password },
    timeout: 30 * 60_000,
  });
  const result = JSON.parse(stdout) as { ms: number; headers: number };
  if (result.headers !== mailbox.count)
    throw new Error(`poplib listed ${result.headers} of ${mailbox.count}`);
  return result.ms;
}

async function firstHeaderRaw(link: Link, mailbox: Mailbox, password: string): Promise<number> {
  return rawFirstHeader(link, mailbox.username, password);
}

/** The Chromium listing's rows: the complete list (the measured figure), the first row and the page's CPU. */
async function chromiumRows(
  subjects: { web: Subject; webFirst: Subject; webTasks: Subject; webCpu: Subject },
  runs: number,
  once: () => Promise<ListingTiming>,
): Promise<Result[]> {
  const firstRows: number[] = [];
  const mainThread: number[] = [];
  const rendererCpu: number[] = [];
  const complete = await measure(
    subjects.web,
    runs,
    async () => {
      const timing = await once();
      firstRows.push(timing.firstRowMs);
      mainThread.push(timing.mainThreadMs);
      rendererCpu.push(timing.rendererCpuMs);
      return timing.listMs;
    },
    1,
  );
  if (complete.skipped) return [complete];
  // The warm-up's figures are the first of each side log.
  const row = (subject: Subject, samples: number[]): Result => {
    progress(
      `${subject.case} · ${subject.subject}: ${samples
        .slice(-runs)
        .map((v) => v.toFixed(1))
        .join(', ')} ms`,
    );
    return { ...subject, samples: samples.slice(-runs) };
  };
  return [
    complete,
    row(subjects.webFirst, firstRows),
    row(subjects.webTasks, mainThread),
    row(subjects.webCpu, rendererCpu),
  ];
}

async function listRaw(link: Link, mailbox: Mailbox, password: string): Promise<number> {
  const result = await rawPipelinedListing(link, mailbox.username, password);
  if (result.headers !== mailbox.count) throw new Error(`listed ${result.headers} of ${mailbox.count}`);
  return result.ms;
}

export async function listingGroup(
  options: BenchOptions,
): Promise<{ results: Result[]; targets: TargetCheck[] }> {
  const sizes = process.env.BENCH_LISTING_SIZES
    ? process.env.BENCH_LISTING_SIZES.split(',').map(Number)
    : options.quick
      ? [100, 500]
      : [1000, 10_000];
  const results: Result[] = [];
  const dovecotPath = findTool('dovecot');
  const python = findTool('python3');
  const chromium = findTool('chromium');
  const mailboxes: Mailbox[] = sizes.map((count) => ({ count, username: `list${count}` }));
  const subjects = (mailbox: Mailbox, rttMs: number) => {
    const base = {
      group: GROUP,
      case: `${thousands(mailbox.count)} messages, ${rttMs === 0 ? 'no added latency' : `${rttMs} ms RTT`}`,
      unit: 'ms',
    };
    return {
      web: { ...base, subject: 'webpop: Chromium → bridge → Dovecot, "Sign in" to last row' },
      webFirst: { ...base, subject: 'webpop: Chromium → bridge → Dovecot, "Sign in" to first row' },
      webTasks: {
        ...base,
        subject: 'webpop: Chromium main-thread task time, "Sign in" to last row',
        note: 'wall time of its tasks, Chromium TaskDuration',
      },
      webCpu: {
        ...base,
        subject: 'webpop: CPU time of Chromium\'s renderers, "Sign in" to last row',
        note: 'CPU',
      },
      minimum: {
        ...base,
        subject: 'protocol minimum for the first row: CRAM-MD5 login, raw socket, to the first TOP',
        note: 'greeting + 4 round trips',
      },
      engine: { ...base, subject: 'webpop engine in Node, direct TCP, all TOPs in one call' },
      poplib: { ...base, subject: 'Python poplib, one TOP at a time' },
      raw: { ...base, subject: 'raw socket client, every TOP pipelined' },
    } satisfies Record<string, Subject>;
  };
  // BENCH_LISTING_RTTS=0 (or 50) measures one link only.
  const rtts = (process.env.BENCH_LISTING_RTTS ?? `0,${2 * ONE_WAY_DELAY_MS}`).split(',').map(Number);
  const links = [0, 2 * ONE_WAY_DELAY_MS].filter((rtt) => rtts.includes(rtt));
  if (!dovecotPath) {
    for (const mailbox of mailboxes)
      for (const rtt of links)
        for (const subject of Object.values(subjects(mailbox, rtt)))
          results.push(skipped(subject, missing('dovecot')));
    return { results, targets: listingTargets(results, sizes) };
  }

  const password = randomBytes(9).toString('base64url');
  progress(`listing: filling Dovecot with ${sizes.map(thousands).join(' and ')} messages (~1 KB headers)`);
  const dovecot: RunningDovecot = await startDovecot({
    users: mailboxes.map((m) => ({ username: m.username, password })),
    messages: Object.fromEntries(
      mailboxes.map((m) => [m.username, generateMessages(m.count, { seed: m.count, headerBytes: 1024 })]),
    ),
    // Every client here logs in again and again from loopback.
    extraConfig: 'mail_max_userip_connections = 1000',
  });
  let proxy: DelayProxy | undefined;
  let bridge: BridgeProcess | undefined;
  let browser: Browser | undefined;
  const web = chromium ? buildWebApp() : undefined;
  try {
    proxy = await startDelayProxy({ host: dovecot.host, port: dovecot.pop3Port }, ONE_WAY_DELAY_MS);
    const direct: Link = {
      rttMs: 0,
      serverId: 'direct',
      label: 'Dovecot',
      host: dovecot.host,
      port: dovecot.pop3Port,
    };
    const delayed: Link = {
      rttMs: 2 * ONE_WAY_DELAY_MS,
      serverId: 'delayed',
      label: `Dovecot, ${2 * ONE_WAY_DELAY_MS} ms away`,
      host: proxy.host,
      port: proxy.port,
    };
    bridge = await startBridgeProcess({
      servers: [direct, delayed].map((link) => ({
        id: link.serverId,
        label: link.label,
        host: link.host,
        port: link.port,
        security: 'none',
      })),
      ...(web ? { staticDir: web.dir } : {}),
      limits: { connectionsPerIpPerMinute: 100_000, connectionsPerIp: 1000 },
    });
    if (chromium) browser = await launchChromium();
    // Dovecot moves new/ to cur/ and builds its index at the first login: not part of any figure.
    for (const mailbox of mailboxes) await listRaw(direct, mailbox, password);

    for (const mailbox of mailboxes) {
      for (const link of [direct, delayed].filter((l) => links.includes(l.rttMs))) {
        const s = subjects(mailbox, link.rttMs);
        // A sequential client at 50 ms RTT takes count × 50 ms a run: fewer runs where that is minutes.
        const sequentialRuns =
          link.rttMs === 0
            ? options.runs
            : Math.max(1, Math.min(options.runs, Math.floor(3000 / mailbox.count)));
        if (browser && bridge)
          results.push(
            ...(await chromiumRows(s, options.runs, () =>
              listInChromium(browser!, bridge!, link, mailbox, password),
            )),
          );
        else
          for (const subject of [s.web, s.webFirst, s.webTasks, s.webCpu])
            results.push(skipped(subject, missing('chromium')));
        results.push(
          await measure(s.minimum, options.runs, () => firstHeaderRaw(link, mailbox, password), 1),
        );
        results.push(await measure(s.engine, options.runs, () => listWithEngine(link, mailbox, password)));
        results.push(
          python
            ? await measure(s.poplib, sequentialRuns, () => listWithPoplib(python, link, mailbox, password))
            : skipped(s.poplib, missing('python3')),
        );
        results.push(await measure(s.raw, options.runs, () => listRaw(link, mailbox, password), 1));
      }
    }
  } finally {
    await browser?.close();
    await bridge?.stop();
    await proxy?.close();
    await dovecot.stop();
    web?.remove();
  }
  return { results, targets: listingTargets(results, sizes) };
}

function listingTargets(results: readonly Result[], sizes: readonly number[]): TargetCheck[] {
  const find = (count: number, rtt: number, prefix: string) =>
    medianOf(
      results.find(
        (r) =>
          r.case === `${thousands(count)} messages, ${rtt === 0 ? 'no added latency' : `${rtt} ms RTT`}` &&
          r.subject.startsWith(prefix),
      ),
    );
  const ratio = (
    target: string,
    ours: number | undefined,
    theirs: number | undefined,
    met: (ours: number, theirs: number) => boolean,
    inverse = false,
  ): TargetCheck =>
    ours && theirs
      ? {
          target,
          measured: `${round(inverse ? theirs / ours : ours / theirs)}× (${round(ours)} ms vs ${round(theirs)} ms)`,
          met: met(ours, theirs),
        }
      : { target, measured: 'missing', met: undefined };
  const checks: TargetCheck[] = [];
  for (const count of sizes) {
    const n = thousands(count);
    const web50 = find(count, 50, 'webpop: Chromium → bridge → Dovecot, "Sign in" to last');
    const first50 = find(count, 50, 'webpop: Chromium → bridge → Dovecot, "Sign in" to first');
    checks.push(
      ratio(
        `${n} headers at 50 ms RTT: first row within 1.3× of the protocol minimum for the login`,
        first50,
        find(count, 50, 'protocol minimum'),
        (ours, theirs) => ours / theirs <= 1.3,
      ),
      ratio(
        `${n} headers at 50 ms RTT: complete list within 1.5× of the raw pipelined client`,
        web50,
        find(count, 50, 'raw'),
        (ours, theirs) => ours / theirs <= 1.5,
      ),
      ratio(
        `${n} headers, no added latency: complete list within 3× of the raw pipelined client`,
        find(count, 0, 'webpop: Chromium → bridge → Dovecot, "Sign in" to last'),
        find(count, 0, 'raw'),
        (ours, theirs) => ours / theirs <= 3,
      ),
      ratio(
        `${n} headers at 50 ms RTT: webpop ≥ 100× faster than sequential poplib`,
        web50,
        find(count, 50, 'Python'),
        (ours, theirs) => theirs / ours >= 100,
        true,
      ),
    );
  }
  return checks;
}
