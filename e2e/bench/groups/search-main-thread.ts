// Search (issue 16): the main thread while the search worker indexes, in Chromium with the built app
// against real Dovecot. The messages are first downloaded and kept ("Keep on this device:
// Everything"); then a new page with the search database deleted signs in again, so the worker
// indexes every kept message from the mail store, and the page's long tasks (PerformanceObserver
// "longtask": tasks over 50 ms) are recorded from the finished list to the end of indexing (the
// search status drops "Indexing…"). Target: no task over 50 ms. The same window is traced, with V8's
// sampling profiler: the longest tasks are named by their parts and by the app's functions that ran
// in them (through the build's source maps), beside the renderer's CPU time and the main thread's
// task time (Chromium's TaskDuration). BENCH_SEARCH_TRACE=FILE keeps the trace.
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { generateMessages, startDovecot } from '@webpop/testkit';
import { keepEverything, searchBox, searchResults } from '../../support/search.js';
import { startBridgeProcess, type BridgeProcess } from '../lib/bridge-process.js';
import { freshContext, launchChromium } from '../lib/browser.js';
import { progress } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import type { Result, TargetCheck } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { findTool, missing } from '../lib/tools.js';
import {
  mainThreadTasksAfter,
  sampledSelfTime,
  sourceLocator,
  traceCategories,
  traceEvents,
  traceMark,
  type TraceEvent,
} from '../lib/trace.js';
import {
  gcPauses,
  heapNowAndRetained,
  pollHeap,
  snapshotByConstructor,
  startAllocationSampling,
  stopAllocationSampling,
} from '../lib/page-heap.js';
import { buildWebApp } from '../lib/web-build.js';
import { rendererCpu, signInAndTimeList } from '../lib/web-session.js';

export interface IndexingMainThread {
  /** Milliseconds from the finished list to the end of indexing (the worker's whole sync, as the page sees it). */
  readonly indexingMs: number;
  /** The longest main-thread task in that window (0: none over 50 ms). */
  readonly longestMs: number;
  /** Main-thread tasks over 50 ms in that window. */
  readonly longTasks: number;
  /** CPU time of the renderer processes in that window (the page's main thread and the search worker). */
  readonly rendererCpuMs: number;
  /** The main thread's task time in that window (TaskDuration: wall time of its tasks). */
  readonly mainThreadMs: number;
  /** What the longest tasks spent their time in (from a Chromium trace of the window). */
  readonly inside: readonly string[];
  /** The longest major GC pause on the page's main thread in that window (from the trace), ms. */
  readonly majorGcMs: number;
  /** The page's GCs over 20 ms, longest first, with their thread CPU time and the heap before and after each. */
  readonly gcs: readonly string[];
  /** Every GC of the page's main thread in that window, by kind: how many, and their pauses summed (ms, wall and thread CPU: under load the wall time is mostly the thread waiting for a core). */
  readonly gcTotals: readonly string[];
  /** The page's JS heap (MiB): the most seen while indexing (polled each second), at the end, and after a full GC at the end. */
  readonly heap: { readonly peak: number; readonly end: number; readonly retained: number };
  /** What the page allocated while indexing, by the nearest app function (sampling heap profiler), and what it keeps at the end by constructor (heap snapshot). */
  readonly allocated: readonly string[];
  /** All that was allocated (sampled), MiB. */
  readonly allocatedMib: number;
  /** The "(no app frame)" share of `allocated` by its own innermost frame. */
  readonly allocatedWithoutApp: readonly string[];
  readonly kept: readonly string[];
}

const MARK = 'webpop-bench-indexing';

/** The five longest main-thread tasks after the mark: each with its three longest parts and the three functions with the most CPU samples. */
function longTasksInside(events: readonly TraceEvent[], webDir: string): string[] {
  const start = traceMark(events, MARK);
  if (!start) return [];
  const main = events.filter((e) => e.pid === start.pid && e.tid === start.tid && e.ph === 'X');
  const tasks = mainThreadTasksAfter(events, MARK)
    .filter((e) => (e.dur ?? 0) > 50_000)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, 5);
  const sampled = sampledSelfTime(
    events,
    start,
    tasks.map((task) => ({ start: task.ts, end: task.ts + (task.dur ?? 0) })),
    sourceLocator(webDir),
  );
  return tasks.map((task, index) => {
    const end = task.ts + (task.dur ?? 0);
    const parts = main
      .filter((e) => e !== task && e.name !== 'RunTask' && e.ts >= task.ts && e.ts < end)
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 3)
      .map((e) => {
        const data = e.args?.data;
        const where =
          data?.functionName || data?.url
            ? ` ${data.functionName ?? ''} ${data.url?.split('/').pop() ?? ''}:${data.lineNumber ?? ''}`
            : '';
        const type = data?.type ? ` (${data.type})` : '';
        return `${e.name}${type}${where} ${Math.round((e.dur ?? 0) / 1000)} ms`;
      });
    const functions = sampled[index]!.slice(0, 4).map(({ frame, ms }) => `${frame} ${Math.round(ms)} ms`);
    return `${Math.round((task.dur ?? 0) / 1000)} ms: ${parts.join('; ')}${functions.length > 0 ? ` | CPU samples: ${functions.join('; ')}` : ''}`;
  });
}

declare global {
  interface Window {
    __indexingTasks?: { since: number; durations: number[] };
  }
}

/** In the page, before its scripts: every long task's start and duration. */
function recordLongTasks(): void {
  const record = { since: 0, durations: [] as number[] };
  window.__indexingTasks = record;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.startTime >= record.since) record.durations.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
}

/** Waits until the device status says every message is saved ("N of N saved on this device"). */
async function allSaved(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll('[role="status"]')).some((node) =>
        /(^|\D)([\d,.\s]+) of \2 saved on this device/.test(node.textContent ?? ''),
      ),
    undefined,
    { timeout: timeoutMs, polling: 1000 },
  );
}

export async function mainThreadWhileIndexing(count: number): Promise<IndexingMainThread | string> {
  if (!findTool('chromium')) return missing('chromium');
  if (!findTool('dovecot')) return missing('dovecot');
  progress('search: building the app');
  const web = buildWebApp();
  const password = randomBytes(9).toString('base64url');
  const username = 'indexer';
  const dovecot = await startDovecot({
    users: [{ username, password }],
    messages: { [username]: generateMessages(count, { seed: 16, headerBytes: 600 }) },
  });
  let bridge: BridgeProcess | undefined;
  const browser = await launchChromium();
  try {
    bridge = await startBridgeProcess({
      servers: [
        { id: 'dovecot', label: 'Dovecot', host: dovecot.host, port: dovecot.pop3Port, security: 'none' },
      ],
      staticDir: web.dir,
      limits: { connectionsPerIpPerMinute: 100_000 },
    });
    const account = { serverLabel: 'Dovecot', username, password, messages: count };
    const context = await freshContext(browser);
    const first = await context.newPage();
    await signInAndTimeList(first, bridge.url, account);
    await keepEverything(first);
    progress(`search: downloading ${count} messages to keep them`);
    await allSaved(first, 40 * 60_000);
    await first.close();

    const page = await context.newPage();
    await page.addInitScript(recordLongTasks);
    await page.goto(bridge.url);
    // The index goes, the kept mail stays: the next sign-in indexes everything again.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.deleteDatabase('webpop-search');
          request.onsuccess = () => resolve();
          request.onerror = () => reject(new Error('the search database could not be deleted'));
        }),
    );
    await signInAndTimeList(page, bridge.url, account);
    await browser.startTracing(page, { categories: traceCategories(true) });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const locate = sourceLocator(web.dir);
    const taskSeconds = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN;
    };
    const renderers = await rendererCpu(browser);
    const cpuBefore = await renderers.seconds();
    const tasksBefore = await taskSeconds();
    await startAllocationSampling(cdp);
    const heapPoll = pollHeap(cdp);
    await page.evaluate((mark) => console.timeStamp(mark), MARK);
    const started = await page.evaluate(() => {
      window.__indexingTasks!.since = performance.now();
      window.__indexingTasks!.durations = [];
      return performance.now();
    });
    await searchBox(page).fill('qqqzzz');
    const status = searchResults(page);
    await status
      .filter({ hasText: 'Indexing' })
      .waitFor({ timeout: 60_000 })
      .catch(() => {});
    await page.waitForFunction(
      () => {
        const node = document.querySelector('[role="status"][aria-label="Search results"]');
        return node !== null && !/Indexing/.test(node.textContent ?? '');
      },
      undefined,
      { timeout: 40 * 60_000, polling: 500 },
    );
    const { ended, durations } = await page.evaluate(() => ({
      ended: performance.now(),
      durations: window.__indexingTasks!.durations,
    }));
    const rendererCpuMs = ((await renderers.seconds()) - cpuBefore) * 1000;
    const mainThreadMs = ((await taskSeconds()) - tasksBefore) * 1000;
    const peak = await heapPoll.stop();
    const sampledAllocations = await stopAllocationSampling(cdp, locate);
    const allocated = sampledAllocations.byApp.map(({ frame, mib }) => `${frame} ${round(mib)} MiB`);
    const allocatedWithoutApp = sampledAllocations.withoutApp.map(
      ({ frame, mib }) => `${frame} ${round(mib)} MiB`,
    );
    await renderers.detach();
    const trace = await browser.stopTracing();
    if (process.env.BENCH_SEARCH_TRACE) writeFileSync(process.env.BENCH_SEARCH_TRACE, trace);
    const events = traceEvents(trace);
    const inside = longTasksInside(events, web.dir);
    const mark = traceMark(events, MARK);
    const pauses = mark ? gcPauses(events, mark) : [];
    const { used, retained } = await heapNowAndRetained(cdp);
    const kept = (await snapshotByConstructor(cdp)).map(
      ({ name, mib, count }) => `${name} ${round(mib)} MiB (${count.toLocaleString('en-US')})`,
    );
    await cdp.detach();
    await context.close();
    return {
      indexingMs: ended - started,
      longestMs: durations.length === 0 ? 0 : Math.max(...durations),
      longTasks: durations.length,
      rendererCpuMs,
      mainThreadMs,
      inside,
      majorGcMs: Math.max(0, ...pauses.filter((gc) => gc.kind === 'MajorGC').map((gc) => gc.ms)),
      gcs: pauses
        .filter((gc) => gc.ms > 20)
        .map(
          (gc) =>
            `${gc.kind} ${round(gc.ms)} ms, thread CPU ${round(gc.cpuMs)} ms (${round(gc.beforeMib)} → ${round(gc.afterMib)} MiB)`,
        ),
      gcTotals: ['MajorGC', 'MinorGC'].map((kind) => {
        const ofKind = pauses.filter((gc) => gc.kind === kind);
        const sum = (ms: (gc: (typeof pauses)[number]) => number) =>
          round(ofKind.reduce((total, gc) => total + ms(gc), 0));
        return `${ofKind.length} ${kind} (${sum((gc) => gc.ms)} ms in all, thread CPU ${sum((gc) => gc.cpuMs)} ms)`;
      }),
      heap: { peak, end: used, retained },
      allocated,
      allocatedMib: sampledAllocations.totalMib,
      allocatedWithoutApp,
      kept,
    };
  } finally {
    await browser.close();
    await bridge?.stop();
    await dovecot.stop();
    web.remove();
  }
}

const TARGET_MS = 50;

export async function searchPageGroup(
  options: BenchOptions,
): Promise<{ results: Result[]; targets: TargetCheck[] }> {
  const count = options.quick ? 1_000 : 10_000;
  const what = {
    group: 'search',
    case: `indexing ${count.toLocaleString('en-US')} kept messages in the worker`,
  };
  const measured = await mainThreadWhileIndexing(count);
  if (typeof measured === 'string') {
    progress(`search-page: skipped (${measured})`);
    return {
      results: [{ ...what, subject: 'longest main-thread task', unit: 'ms', samples: [], skipped: measured }],
      targets: [
        {
          target: `no main-thread task > ${TARGET_MS} ms while indexing`,
          measured: 'not measured',
          met: undefined,
        },
      ],
    };
  }
  progress(
    `search-page: ${round(measured.indexingMs / 1000)} s of indexing after the list, longest main-thread task ${round(measured.longestMs)} ms, ${measured.longTasks} over 50 ms; renderer CPU ${round(measured.rendererCpuMs)} ms, main-thread task time ${round(measured.mainThreadMs)} ms`,
  );
  for (const task of measured.inside) progress(`search-page: ${task}`);
  progress(
    `search-page: longest major GC ${round(measured.majorGcMs)} ms; page heap peak ${round(measured.heap.peak)} MiB, at the end ${round(measured.heap.end)} MiB, retained after a full GC ${round(measured.heap.retained)} MiB`,
  );
  progress(`search-page: GCs ${measured.gcTotals.join(', ')}`);
  for (const gc of measured.gcs) progress(`search-page: GC ${gc}`);
  progress(`search-page: allocated in all ${round(measured.allocatedMib)} MiB (sampled)`);
  for (const line of measured.allocated) progress(`search-page: allocated by ${line}`);
  for (const line of measured.allocatedWithoutApp)
    progress(`search-page: allocated with no app frame, in ${line}`);
  for (const line of measured.kept) progress(`search-page: kept ${line}`);
  return {
    results: [
      { ...what, subject: 'longest main-thread task', unit: 'ms', samples: [measured.longestMs] },
      { ...what, subject: 'main-thread tasks over 50 ms', unit: 'tasks', samples: [measured.longTasks] },
      {
        ...what,
        subject: 'from the finished list to the end of indexing',
        unit: 'ms',
        samples: [measured.indexingMs],
      },
      {
        ...what,
        subject: 'renderer CPU in that span (page and worker)',
        unit: 'ms',
        samples: [measured.rendererCpuMs],
      },
      {
        ...what,
        subject: 'main-thread task time in that span',
        unit: 'ms',
        samples: [measured.mainThreadMs],
      },
      { ...what, subject: 'longest major GC on the main thread', unit: 'ms', samples: [measured.majorGcMs] },
      { ...what, subject: 'page JS heap, peak while indexing', unit: 'MiB', samples: [measured.heap.peak] },
      {
        ...what,
        subject: 'page JS heap retained after indexing',
        unit: 'MiB',
        samples: [measured.heap.retained],
      },
    ],
    targets: [
      {
        target: `no main-thread task > ${TARGET_MS} ms while indexing`,
        measured: `${round(measured.longestMs)} ms (${measured.longTasks} tasks over 50 ms); longest major GC ${round(measured.majorGcMs)} ms`,
        met: measured.longestMs <= TARGET_MS && measured.majorGcMs <= TARGET_MS,
      },
    ],
  };
}
