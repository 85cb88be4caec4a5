// Where a big mailbox's memory and scrolling time go: the app listing N messages (default 100,000) in
// Chromium, then, per Chromium process, its PSS and the allocators of a memory-infra dump (V8 by
// isolate: the page and each worker; Blink's DOM, PartitionAlloc, malloc, the compositor), the page's
// DOM counters, and a trace of wheel scrolling: the longest tasks, what the longest spent its time in
// (style, layout, script…) and the app's functions sampled in it. Several builds of the app (--app
// label=dir, each a `vite build --minify false` output) are measured in turn in one run, side by side.
// Not a benchmark: a tool to find what a big-mailbox target is missing by.
//
//   node --conditions=@webpop/source --import tsx e2e/bench/profile/big-list.ts [messages] [--app label=dir]… [--rounds N]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { generateMessages, startDovecot } from '@webpop/testkit';
import { startBridgeProcess, type BridgeProcess } from '../lib/bridge-process.js';
import { freshContext, launchChromium } from '../lib/browser.js';
import { pss } from '../lib/process-memory.js';
import {
  longestTaskBreakdown,
  mainThreadTasksAfter,
  mainThreadTasksBetween,
  sampledSelfTime,
  sourceLocator,
  traceCategories,
  traceEvents,
  traceMark,
} from '../lib/trace.js';
import { wheelThrough } from '../groups/big.js';
import { buildWebApp } from '../lib/web-build.js';
import { signInAndTimeList } from '../lib/web-session.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    app: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '1' },
    settle: { type: 'string', default: '20000' },
  },
});
const count = Number(positionals[0] ?? 100_000);
const rounds = Number(values.rounds);
const settleMs = Number(values.settle);
const MiB = 1024 * 1024;
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join('/');
const out = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => (bytes / MiB).toFixed(1);

const built = values.app?.length ? undefined : buildWebApp({ minify: false });
const apps = (values.app ?? [`current=${built!.dir}`]).map((spec) => {
  const [label, dir] = spec.split('=') as [string, string];
  return { label, dir };
});

const password = randomBytes(9).toString('base64url');
const username = 'big';
out(`load at start ${load()}; ${count} messages; apps ${apps.map((a) => a.label).join(', ')}`);
const dovecot = await startDovecot({
  users: [{ username, password }],
  messages: { [username]: generateMessages(count, { seed: 7, headerBytes: 1024 }) },
  extraConfig: 'mail_max_userip_connections = 1000',
});
const bridges: BridgeProcess[] = [];

/** A memory-infra dump of every Chromium process: per process, allocator name → bytes. */
async function memoryDump(browser: Browser): Promise<Map<number, Map<string, number>>> {
  const cdp = await browser.newBrowserCDPSession();
  const chunks: string[] = [];
  const complete = new Promise<string>((resolve) => {
    cdp.on('Tracing.tracingComplete', (event: { stream?: string }) => resolve(event.stream!));
  });
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      includedCategories: ['disabled-by-default-memory-infra'],
      memoryDumpConfig: { triggers: [] },
    },
  } as never);
  await cdp.send('Tracing.requestMemoryDump', { levelOfDetail: 'detailed' } as never);
  await cdp.send('Tracing.end');
  const stream = await complete;
  for (;;) {
    const { data, eof, base64Encoded } = (await cdp.send('IO.read', { handle: stream })) as {
      data: string;
      eof: boolean;
      base64Encoded?: boolean;
    };
    chunks.push(base64Encoded ? Buffer.from(data, 'base64').toString('utf8') : data);
    if (eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  await cdp.detach();
  type DumpEvent = {
    ph: string;
    pid: number;
    args?: { dumps?: { allocators?: Record<string, { attrs?: Record<string, { value: string }> }> } };
  };
  const events = (JSON.parse(chunks.join('')) as { traceEvents: DumpEvent[] }).traceEvents;
  const byProcess = new Map<number, Map<string, number>>();
  for (const event of events) {
    const allocators = event.ph === 'v' ? event.args?.dumps?.allocators : undefined;
    if (!allocators) continue;
    const sizes = byProcess.get(event.pid) ?? new Map<string, number>();
    for (const [name, dump] of Object.entries(allocators)) {
      const size = dump.attrs?.size?.value;
      if (size !== undefined) sizes.set(name, Number.parseInt(size, 16));
      const used = dump.attrs?.allocated_objects_size?.value;
      if (used !== undefined) sizes.set(`${name} (allocated objects)`, Number.parseInt(used, 16));
    }
    byProcess.set(event.pid, sizes);
  }
  return byProcess;
}

/** The allocators worth reading: top level, V8's isolates, Blink's GC heap, the DOM and layout. */
function summarise(sizes: Map<string, number>): string[] {
  const wanted = (name: string) => {
    const depth = name.split('/').length;
    if (depth === 1) return true;
    if (/^v8\/(main|workers|utility)\/?/.test(name)) return depth <= 3 || /heap$/.test(name);
    return /^(blink_gc|partition_alloc\/partitions|blink_objects|cc|skia|web_cache|malloc)\/[^/]+( \(allocated objects\))?$/.test(
      name,
    );
  };
  return [...sizes]
    .filter(([name, size]) => wanted(name) && size >= 2 * MiB)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([name, size]) => `    ${name.padEnd(56)} ${mb(size).padStart(8)} MB`);
}

/** The app's functions V8 sampled in the three longest main-thread tasks between the marks. */
function printSampled(trace: Buffer, start: string, end: string, dir: string): void {
  const events = traceEvents(trace);
  const from = traceMark(events, start)!;
  const long = mainThreadTasksAfter(events, start, end)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, 3);
  const samples = sampledSelfTime(
    events,
    from,
    long.map((t) => ({ start: t.ts, end: t.ts + (t.dur ?? 0) })),
    sourceLocator(dir),
  );
  long.forEach((task, index) =>
    out(
      `  task of ${((task.dur ?? 0) / 1000).toFixed(0)} ms, sampled: ${samples[index]!.slice(0, 8)
        .map((s) => `${s.frame} ${s.ms.toFixed(0)}`)
        .join('; ')}`,
    ),
  );
}

const mark = (page: Page, name: string) => page.evaluate((n) => console.timeStamp(n), name);

async function domCounters(cdp: CDPSession): Promise<string> {
  const counters = (await cdp.send('Memory.getDOMCounters' as never)) as {
    documents: number;
    nodes: number;
    jsEventListeners: number;
  };
  const options = await cdp.send('Runtime.evaluate', {
    expression: 'document.querySelectorAll("[role=option]").length',
    returnByValue: true,
  });
  return `documents ${counters.documents}, nodes ${counters.nodes}, listeners ${counters.jsEventListeners}, rows in the DOM ${String(options.result.value)}`;
}

async function measure(app: { label: string; dir: string }, bridge: BridgeProcess): Promise<void> {
  const browser = await launchChromium();
  try {
    const context = await freshContext(browser);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const timing = await signInAndTimeList(page, bridge.url, {
      serverLabel: 'Dovecot',
      username,
      password,
      messages: count,
    });
    out(
      `\n== ${app.label}: list ${timing.listMs.toFixed(0)} ms (first row ${timing.firstRowMs.toFixed(0)}), renderers' CPU ${timing.rendererCpuMs.toFixed(0)} ms; load ${load()}`,
    );
    // The time after the list: the header cache's and the store's writes, traced.
    await browser.startTracing(page, { categories: traceCategories(true) });
    await mark(page, 'listed');
    const domSettling: string[] = [];
    const settleSampler = setInterval(() => {
      void domCounters(cdp).then(
        (text) => domSettling.push(text),
        () => undefined,
      );
    }, 4000);
    await page.waitForTimeout(settleMs);
    clearInterval(settleSampler);
    out(`DOM after the list, every 4 s: ${domSettling.join(' | ')}`);
    await mark(page, 'settled');
    const settle = await browser.stopTracing();
    const settleTasks = mainThreadTasksBetween(settle, 'listed', 'settled');
    out(
      `after the list (${settleMs} ms): tasks over 50 ms ${settleTasks.filter((t) => t.ms > 50).length}, longest ${settleTasks
        .slice(0, 5)
        .map((t) => `${t.ms.toFixed(0)} ms at +${t.atMs.toFixed(0)}`)
        .join(', ')}; its events: ${longestTaskBreakdown(settle, 'listed', 'settled').join(', ')}`,
    );
    printSampled(settle, 'listed', 'settled', app.dir);
    await cdp.send('HeapProfiler.collectGarbage');
    out(`DOM after the list: ${await domCounters(cdp)}`);
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
    out(`the page's JavaScript heap used ${mb(heap)} MB`);
    const browserCdp = await browser.newBrowserCDPSession();
    const { processInfo } = (await browserCdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: Array<{ type: string; id: number }>;
    };
    await browserCdp.detach();
    const dump = await memoryDump(browser);
    let renderers = 0;
    for (const process of processInfo) {
      const bytes = pss(process.id);
      if (process.type === 'renderer') renderers += bytes;
      let extra = '';
      try {
        const cmdline = readFileSync(`/proc/${process.id}/cmdline`, 'utf8').split('\0');
        extra = cmdline.find((arg) => arg.startsWith('--utility-sub-type')) ?? '';
      } catch {
        // gone
      }
      out(`  ${process.type} ${process.id} ${extra}: PSS ${mb(bytes)} MB`);
      for (const line of summarise(dump.get(process.id) ?? new Map())) out(line);
    }
    out(`renderers' PSS ${mb(renderers)} MB`);

    // Scrolling, traced with V8's samples.
    await browser.startTracing(page, { categories: traceCategories(true) });
    await mark(page, 'scroll-start');
    const domDuring: string[] = [];
    const sampler = setInterval(() => {
      void domCounters(cdp).then(
        (text) => domDuring.push(text),
        () => undefined,
      );
    }, 2000);
    await wheelThrough(page);
    clearInterval(sampler);
    await mark(page, 'scroll-end');
    const trace = await browser.stopTracing();
    const tasks = mainThreadTasksBetween(trace, 'scroll-start', 'scroll-end');
    out(
      `scrolling: ${tasks.length} tasks, over 50 ms ${tasks.filter((t) => t.ms > 50).length}, longest ${tasks
        .slice(0, 8)
        .map((t) => `${t.ms.toFixed(0)} ms at +${t.atMs.toFixed(0)}`)
        .join(', ')}`,
    );
    out(
      `  the longest one's events: ${longestTaskBreakdown(trace, 'scroll-start', 'scroll-end').join(', ')}`,
    );
    printSampled(trace, 'scroll-start', 'scroll-end', app.dir);
    out(`DOM while scrolling: ${domDuring.slice(0, 4).join(' | ')}`);
    await context.close();
  } finally {
    await browser.close();
  }
}

try {
  for (const app of apps)
    bridges.push(
      await startBridgeProcess({
        servers: [
          { id: 'dovecot', label: 'Dovecot', host: dovecot.host, port: dovecot.pop3Port, security: 'none' },
        ],
        staticDir: app.dir,
        limits: { connectionsPerIpPerMinute: 100_000, connectionsPerIp: 1000 },
      }),
    );
  for (let round = 0; round < rounds; round++)
    for (const [index, app] of apps.entries()) await measure(app, bridges[index]!);
  out(`load at end ${load()}`);
} finally {
  for (const bridge of bridges) await bridge.stop();
  await dovecot.stop();
  built?.remove();
}
