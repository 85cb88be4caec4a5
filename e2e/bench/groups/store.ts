// The local mail store (issue 15), in Chromium with the built app, the built bridge and real Dovecot:
// (a) the background download of 1,000 messages of 50 KB into the store beside `webpop fetch` (the
// built CLI) saving the same mailbox to disk, with the longest main-thread task meanwhile from a
// Chromium trace; (b) the origin's storage (navigator.storage.estimate) per byte of mail kept; (c) a
// 10,000-message store opened cold ("Open saved mail" in a newly started browser on the same
// profile) to a usable list; (d) the export of those 10,000 messages to mbox with Chromium's memory
// sampled from /proc. CPU beside every wall time.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { splitMbox } from '@webpop/mailfile';
import { generateMessages, startDovecot, systemChromiumLaunchOptions } from '@webpop/testkit';
import { readFile } from 'node:fs/promises';
import { startBridgeProcess, type BridgeProcess } from '../lib/bridge-process.js';
import { chromiumCpuMs, sampleChromiumMemory } from '../lib/chromium-processes.js';
import type { GroupOutcome } from '../lib/group.js';
import { measure, progress, skipped, type Subject } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import { fromRoot, repoRoot } from '../lib/paths.js';
import { processCpuMs, treeCpuMs } from '../lib/process-cpu.js';
import { medianOf, type Result, type TargetCheck } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { findTool, missing } from '../lib/tools.js';
import { longestMainThreadTask } from '../lib/trace.js';
import { buildWebApp } from '../lib/web-build.js';
import { signInAndTimeList } from '../lib/web-session.js';

const GROUP = 'store';
/** Time left after the list for its writes to the store (the records, the header cache's slices). */
const AFTER_LIST_MS = 3000;
const MiB = 1024 * 1024;
const thousands = (n: number) => n.toLocaleString('en-US');

/** Compiles the CLI (tsc -b, incremental), so `webpop fetch` runs as installed: `node bin/webpop.js`. */
export function buildCli(): string {
  execFileSync(process.execPath, [fromRoot('node_modules/typescript/bin/tsc'), '-b', 'apps/cli'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  return fromRoot('apps/cli/bin/webpop.js');
}

interface Timed {
  readonly ms: number;
  readonly cpuMs: number;
}

/**
 * `webpop fetch --out DIR` in a process of its own, from start to exit (login, LIST, UIDL, every RETR
 * written to disk, QUIT). Its CPU is what this process's reaped children used meanwhile (cutime),
 * less this process's own.
 */
export async function cliFetch(
  cli: string,
  server: { host: string; port: number },
  account: { username: string; password: string; count: number; bytes: number },
): Promise<Timed> {
  const out = await mkdtemp(join(tmpdir(), 'webpop-bench-fetch-'));
  try {
    const ownBefore = process.cpuUsage();
    const reapedBefore = processCpuMs(process.pid);
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        cli,
        'fetch',
        '--host',
        server.host,
        '--port',
        String(server.port),
        '--security',
        'none',
        '--allow-plaintext',
        '--user',
        account.username,
        '--out',
        out,
        '--state',
        join(out, 'state.json'),
      ],
      { env: { ...process.env, WEBPOP_PASSWORD: account.password }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const ms = performance.now() - started;
    const own = process.cpuUsage(ownBefore);
    const cpuMs = processCpuMs(process.pid) - reapedBefore - (own.user + own.system) / 1000;
    if (code !== 0) throw new Error(`webpop fetch exited ${code}: ${stderr.trim().split('\n').pop()}`);
    const files = (await readdir(out)).filter((name) => name.endsWith('.eml'));
    const sizes = await Promise.all(files.map(async (name) => (await stat(join(out, name))).size));
    const bytes = sizes.reduce((sum, size) => sum + size, 0);
    if (files.length !== account.count || bytes !== account.bytes)
      throw new Error(`webpop fetch saved ${files.length} files, ${bytes} bytes`);
    return { ms, cpuMs };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/**
 * In the page: resolves with performance.now() once a status says all `expected` messages are saved
 * (the count itself: right after the setting changes, the status says "0 of 0" for a moment).
 */
export function whenAllSaved(expected: number): void {
  const w = window as unknown as { __benchSaved: Promise<number> };
  const texts = [String(expected), expected.toLocaleString('en-US')].map(
    (n) => `${n} of ${n} saved on this device`,
  );
  const test = () =>
    Array.from(document.querySelectorAll('[role="status"]')).some((node) =>
      texts.some((text) => (node.textContent ?? '').includes(text)),
    );
  w.__benchSaved = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!test()) return;
      observer.disconnect();
      resolve(performance.now());
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** The origin's usage as the page sees it (navigator.storage.estimate), bytes. */
function usage(page: Page): Promise<number> {
  return page.evaluate(async () => (await navigator.storage.estimate()).usage ?? Number.NaN);
}

/** The messages of `username` the page's mail store holds proven (downloadedAt set), read from IndexedDB. */
function keptCount(page: Page, username: string): Promise<number> {
  return page.evaluate(
    (user) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('webpop');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('messages').objectStore('messages').getAll();
          all.onsuccess = () => {
            const records = all.result as Array<{ account: string; downloadedAt?: number }>;
            resolve(
              records.filter((r) => r.account.endsWith(`|${user}`) && r.downloadedAt !== undefined).length,
            );
            open.result.close();
          };
        };
      }),
    username,
  );
}

/** Settings → Keep on this device: Everything → Save; resolves when the dialog has closed. */
export async function keepEverything(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account settings' });
  await dialog
    .getByRole('radiogroup', { name: 'Keep on this device' })
    .getByRole('radio', { name: 'Everything' })
    .check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** A browser's run: `cpuMs` is its renderers' CPU, `allCpuMs` every Chromium process's. */
interface BrowserTimed extends Timed {
  readonly allCpuMs: number;
}

interface DownloadRun extends BrowserTimed {
  /** The longest main-thread task in the `AFTER_LIST_MS` after the list (its writes to the store). */
  readonly afterListTaskMs: number;
  /** The longest renderer main-thread task between choosing "Everything" and the last message saved. */
  readonly longestTaskMs: number;
  /** Main-thread task time (Chromium TaskDuration, wall time of its tasks) over the download. */
  readonly mainThreadMs: number;
  /** CPU of the bridge's process over the download. */
  readonly bridgeCpuMs: number;
  /** Growth of the origin's usage over the download, bytes. */
  readonly storedBytes: number;
}

/**
 * Signs in (a fresh profile: nothing kept), then chooses "Everything" and times, in the page, from the
 * click on Save to "N of N saved on this device", traced.
 */
async function downloadInChromium(
  context: BrowserContext,
  bridge: BridgeProcess,
  account: { username: string; password: string; count: number },
): Promise<DownloadRun> {
  const page = await context.newPage();
  const browser = context.browser()!;
  await signInAndTimeList(
    page,
    bridge.url,
    {
      serverLabel: 'Dovecot',
      username: account.username,
      password: account.password,
      messages: account.count,
    },
    {
      beforeClick: () => browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel'] }),
    },
  );
  // The listing's writes to the store (records, then the header cache's slices) follow the list.
  await page.evaluate(() => console.timeStamp('webpop-bench-listed'));
  await page.waitForTimeout(AFTER_LIST_MS);
  const usageBefore = await usage(page);
  await page.evaluate(whenAllSaved, account.count);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ??
    Number.NaN;
  await page.evaluate(() => console.timeStamp('webpop-bench-download-start'));
  const tasksBefore = await taskSeconds();
  const cpuBefore = chromiumCpuMs();
  const bridgeBefore = treeCpuMs(bridge.pid);
  const started = await page.evaluate(() => performance.now());
  await keepEverything(page);
  const ended = await page.evaluate(
    () => (window as unknown as { __benchSaved: Promise<number> }).__benchSaved,
  );
  await page.evaluate(() => console.timeStamp('webpop-bench-download-end'));
  const cpuAfter = chromiumCpuMs();
  const cpuMs = cpuAfter.renderers - cpuBefore.renderers;
  const allCpuMs = cpuAfter.all - cpuBefore.all;
  const bridgeCpuMs = treeCpuMs(bridge.pid) - bridgeBefore;
  const mainThreadMs = ((await taskSeconds()) - tasksBefore) * 1000;
  const trace = await browser.stopTracing();
  if (process.env.BENCH_STORE_TRACE) await writeFile(process.env.BENCH_STORE_TRACE, trace);
  const { longestMs } = longestMainThreadTask(
    trace,
    'webpop-bench-download-start',
    'webpop-bench-download-end',
  );
  const afterList = longestMainThreadTask(trace, 'webpop-bench-listed', 'webpop-bench-download-start');
  await cdp.detach();
  const kept = await keptCount(page, account.username);
  if (kept !== account.count) throw new Error(`${kept} of ${account.count} messages kept`);
  const storedBytes = (await usage(page)) - usageBefore;
  await page.close();
  return {
    ms: ended - started,
    cpuMs,
    allCpuMs,
    longestTaskMs: longestMs,
    afterListTaskMs: afterList.longestMs,
    mainThreadMs,
    bridgeCpuMs,
    storedBytes,
  };
}

/** A browser on a profile folder of its own, started and stopped as a person's browser is. */
async function profileBrowser(profile: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, {
    ...systemChromiumLaunchOptions(),
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  });
  await context.addInitScript('globalThis.__name = (fn) => fn;');
  // Exports take the download path (headless Chromium has no save dialog to answer).
  await context.addInitScript(() => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker);
  return context;
}

/** In the page: from the click on "Open saved mail" to a complete, idle list of `expected` rows. */
function timeOpenToList(expected: number): void {
  const w = window as unknown as { __benchOpened: Promise<number> };
  w.__benchOpened = new Promise((resolve) => {
    let clicked: number | undefined;
    document.addEventListener(
      'click',
      (event) => {
        if ((event.target as Element).closest('[aria-label="Open saved mail"]')) clicked = performance.now();
      },
      { capture: true },
    );
    const observer = new MutationObserver(() => {
      if (clicked === undefined) return;
      const list = document.querySelector('[role="listbox"][aria-label="Messages"]');
      if (!list || list.getAttribute('aria-busy') === 'true') return;
      const option = list.querySelector('[role="option"]');
      if (!option || Number(option.getAttribute('aria-setsize')) !== expected) return;
      observer.disconnect();
      (window as unknown as { __benchOpenedAt: number }).__benchOpenedAt = performance.now();
      resolve(performance.now() - clicked);
    });
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-busy', 'aria-setsize'],
    });
  });
}

interface OpenRun extends BrowserTimed {
  /** From navigation to the usable list (the app's own load included). */
  readonly fromNavigationMs: number;
  readonly mainThreadMs: number;
}

/** A newly started browser on the profile: the app loaded, "Open saved mail" clicked, to a usable list. */
async function openCold(profile: string, url: string, count: number): Promise<OpenRun> {
  const context = await profileBrowser(profile);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    const open = page.getByRole('button', { name: 'Open saved mail' });
    await open.waitFor();
    await page.evaluate(timeOpenToList, count);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ??
      Number.NaN;
    const tasksBefore = await taskSeconds();
    const cpuBefore = chromiumCpuMs();
    await open.click();
    const ms = await page.evaluate(
      () => (window as unknown as { __benchOpened: Promise<number> }).__benchOpened,
    );
    const cpuAfter = chromiumCpuMs();
    const cpuMs = cpuAfter.renderers - cpuBefore.renderers;
    const allCpuMs = cpuAfter.all - cpuBefore.all;
    const mainThreadMs = ((await taskSeconds()) - tasksBefore) * 1000;
    const fromNavigationMs = await page.evaluate(
      () => (window as unknown as { __benchOpenedAt: number }).__benchOpenedAt,
    );
    await cdp.detach();
    return { ms, cpuMs, allCpuMs, mainThreadMs, fromNavigationMs };
  } finally {
    await context.close();
  }
}

/** Heap samples are 50 ms apart; every 40th (2 s) follows a forced collection. */
const RETAINED_SAMPLE_EVERY = 40;

interface ExportRun extends BrowserTimed {
  readonly fileBytes: number;
  /** The page's JavaScript heap: peak over the start (after a collection), bytes. */
  readonly heapRise: number;
  /** The same after a forced collection every 2 s: what the export holds, not its garbage. */
  readonly retainedRise: number;
  /** Peak PSS over the first sample, bytes: the renderers, and every Chromium process. */
  readonly rendererRise: number;
  readonly chromiumRise: number;
}

/** In the read-only view of a newly started browser: Export → mbox → Save file, to the download. */
async function exportMbox(profile: string, url: string, count: number): Promise<ExportRun> {
  const context = await profileBrowser(profile);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.evaluate(timeOpenToList, count);
    await page.getByRole('button', { name: 'Open saved mail' }).click();
    await page.evaluate(() => (window as unknown as { __benchOpened: Promise<number> }).__benchOpened);
    const kept = await keptCount(page, 'opener');
    if (kept !== count) throw new Error(`the store holds ${kept} of ${count} messages`);
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export mail' });
    await dialog
      .getByRole('radiogroup', { name: 'Format' })
      .getByLabel('mbox (one file, for mail programs)')
      .check();
    await dialog.getByRole('radiogroup', { name: 'Messages' }).getByLabel('Whole account').check();
    const counted = dialog.getByText(/messages? saved on this device/);
    await counted.waitFor();
    const offered = Number((await counted.textContent())?.replace(/\D/g, ''));
    if (offered !== count) throw new Error(`the export offers ${offered} messages, not ${count}`);
    // Let the dialog's own work settle before the baseline.
    await page.waitForTimeout(1000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heapBefore = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    let heapPeak = heapBefore;
    let retainedPeak = heapBefore;
    let sampling = true;
    const heapSampler = (async () => {
      for (let sample = 1; sampling; sample++) {
        const collect = sample % RETAINED_SAMPLE_EVERY === 0;
        if (collect) await cdp.send('HeapProfiler.collectGarbage');
        const { usedSize } = await cdp.send('Runtime.getHeapUsage');
        heapPeak = Math.max(heapPeak, usedSize);
        if (collect) retainedPeak = Math.max(retainedPeak, usedSize);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const memory = sampleChromiumMemory(200);
    const cpuBefore = chromiumCpuMs();
    const started = performance.now();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30 * 60_000 }),
      dialog.getByRole('button', { name: 'Save file' }).click(),
    ]);
    const path = await download.path();
    const ms = performance.now() - started;
    const cpuAfter = chromiumCpuMs();
    const cpuMs = cpuAfter.renderers - cpuBefore.renderers;
    const allCpuMs = cpuAfter.all - cpuBefore.all;
    const { before, peak } = memory.stop();
    sampling = false;
    await heapSampler;
    await cdp.detach();
    const bytes = new Uint8Array(await readFile(path));
    const messages = splitMbox(bytes).length;
    if (messages !== count) throw new Error(`the mbox holds ${messages} messages, not ${count}`);
    return {
      ms,
      cpuMs,
      allCpuMs,
      fileBytes: bytes.length,
      heapRise: heapPeak - heapBefore,
      retainedRise: retainedPeak - heapBefore,
      rendererRise: peak.renderers - before.renderers,
      chromiumRise: peak.all - before.all,
    };
  } finally {
    await context.close();
  }
}

const size = (bytes: number) => `${round(bytes / MiB)} MiB`;

export async function storeGroup(options: BenchOptions): Promise<GroupOutcome> {
  // BENCH_STORE_SIZES=1000,10000: the download's and the store's message counts.
  const [downloadCount, storeCount] = process.env.BENCH_STORE_SIZES
    ? (process.env.BENCH_STORE_SIZES.split(',').map(Number) as [number, number])
    : options.quick
      ? [100, 1_000]
      : [1_000, 10_000];
  const runs = options.quick ? 1 : Math.min(options.runs, 3);
  const download = { group: GROUP, case: `${thousands(downloadCount)} messages of 50 KB, no added latency` };
  const opened = { group: GROUP, case: `a store of ${thousands(storeCount)} messages` };
  const subjects = {
    web: {
      ...download,
      subject: 'webpop: background download into the store (Save to all saved)',
      unit: 'ms',
    },
    webCpu: {
      ...download,
      subject: "webpop: CPU of Chromium's renderers over the download",
      unit: 'ms',
      note: 'CPU',
    },
    webAllCpu: {
      ...download,
      subject:
        "webpop: CPU of all Chromium's processes over the download (IndexedDB runs in the storage service)",
      unit: 'ms',
      note: 'CPU',
    },
    webTasks: {
      ...download,
      subject: 'webpop: main-thread task time over the download',
      unit: 'ms',
      note: 'wall time of its tasks, Chromium TaskDuration',
    },
    afterList: {
      ...download,
      subject: `webpop: longest main-thread task in the ${AFTER_LIST_MS / 1000} s after the list (its writes to the store)`,
      unit: 'ms',
    },
    webLongest: { ...download, subject: 'webpop: longest main-thread task over the download', unit: 'ms' },
    bridgeCpu: {
      ...download,
      subject: 'webpop: CPU of the bridge over the download',
      unit: 'ms',
      note: 'CPU',
    },
    cli: { ...download, subject: 'webpop fetch --out DIR (process start to exit)', unit: 'ms' },
    cliCpu: { ...download, subject: 'webpop fetch: CPU of its process', unit: 'ms', note: 'CPU' },
    ratio50k: {
      ...download,
      subject: 'storage used per byte of mail (estimate() growth over the download)',
      unit: '×',
    },
    ratioStore: {
      ...opened,
      subject: 'storage used per byte of mail (estimate() growth over the download)',
      unit: '×',
    },
    open: { ...opened, subject: 'cold open: click on "Open saved mail" to a usable list', unit: 'ms' },
    openNav: { ...opened, subject: 'cold open: navigation start to a usable list', unit: 'ms' },
    openCpu: {
      ...opened,
      subject: "cold open: CPU of Chromium's renderers (click to list)",
      unit: 'ms',
      note: 'CPU',
    },
    openAllCpu: {
      ...opened,
      subject: "cold open: CPU of all Chromium's processes (click to list)",
      unit: 'ms',
      note: 'CPU',
    },
    openTasks: {
      ...opened,
      subject: 'cold open: main-thread task time (click to list)',
      unit: 'ms',
      note: 'wall time of its tasks, Chromium TaskDuration',
    },
    exportMs: { ...opened, subject: 'export to mbox: Save file to the download', unit: 'ms' },
    exportCpu: { ...opened, subject: "export to mbox: CPU of Chromium's renderers", unit: 'ms', note: 'CPU' },
    exportAllCpu: {
      ...opened,
      subject: "export to mbox: CPU of all Chromium's processes",
      unit: 'ms',
      note: 'CPU',
    },
    exportFile: { ...opened, subject: 'export to mbox: file size', unit: 'MiB' },
    exportHeap: {
      ...opened,
      subject: "export to mbox: peak rise of the page's JavaScript heap, uncollected",
      unit: 'MiB',
    },
    exportRetained: {
      ...opened,
      subject: "export to mbox: peak rise of the page's JavaScript heap after a collection (every 2 s)",
      unit: 'MiB',
    },
    exportRenderer: { ...opened, subject: "export to mbox: peak rise of the renderers' PSS", unit: 'MiB' },
    exportChromium: {
      ...opened,
      subject: "export to mbox: peak rise of all Chromium processes' PSS (the Blob is the browser's)",
      unit: 'MiB',
    },
  } satisfies Record<string, Subject>;
  const all = Object.values(subjects);
  if (!findTool('chromium') || !findTool('dovecot')) {
    const reason = missing(findTool('chromium') ? 'dovecot' : 'chromium');
    return { results: all.map((subject) => skipped(subject, reason)), targets: storeTargets([]) };
  }

  progress('store: building the app and the CLI');
  const web = buildWebApp();
  const cli = buildCli();
  const password = randomBytes(9).toString('base64url');
  const downloadMail = generateMessages(downloadCount, { seed: 15, headerBytes: 800, bodyBytes: 50_000 });
  const storeMail = generateMessages(storeCount, { seed: 150, headerBytes: 800 });
  const mailBytes = (mail: Uint8Array[]) => mail.reduce((sum, m) => sum + m.length, 0);
  const downloadBytes = mailBytes(downloadMail);
  const storeBytes = mailBytes(storeMail);
  progress(
    `store: Dovecot with ${thousands(downloadCount)} messages (${size(downloadBytes)}) and ${thousands(storeCount)} (${size(storeBytes)})`,
  );
  const dovecot = await startDovecot({
    users: [
      { username: 'keeper', password },
      { username: 'opener', password },
    ],
    messages: { keeper: downloadMail, opener: storeMail },
    extraConfig: 'mail_max_userip_connections = 1000',
  });
  const profile = await mkdtemp(join(tmpdir(), 'webpop-bench-profile-'));
  let bridge: BridgeProcess | undefined;
  const browser = await chromium.launch(systemChromiumLaunchOptions());
  const results: Result[] = [];
  try {
    bridge = await startBridgeProcess({
      servers: [
        { id: 'dovecot', label: 'Dovecot', host: dovecot.host, port: dovecot.pop3Port, security: 'none' },
      ],
      staticDir: web.dir,
      limits: { connectionsPerIpPerMinute: 100_000 },
    });
    const server = { host: dovecot.host, port: dovecot.pop3Port };
    const keeper = { username: 'keeper', password, count: downloadCount, bytes: downloadBytes };

    // (a) webpop fetch's runs (after one to warm Dovecot's index), then the browser's.
    const cliRuns: Timed[] = [];
    const webRuns: DownloadRun[] = [];
    results.push(
      await measure(
        subjects.cli,
        runs,
        async () => {
          const run = await cliFetch(cli, server, keeper);
          cliRuns.push(run);
          return run.ms;
        },
        1,
      ),
    );
    results.push(
      await measure(subjects.web, runs, async () => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
        await context.addInitScript('globalThis.__name = (fn) => fn;');
        try {
          const run = await downloadInChromium(context, bridge!, keeper);
          webRuns.push(run);
          progress(
            `store: download ${round(run.ms)} ms, longest task ${round(run.longestTaskMs)} ms, ${size(run.storedBytes)} stored`,
          );
          return run.ms;
        } finally {
          await context.close();
        }
      }),
    );
    const row = (subject: Subject, samples: number[]): Result => {
      progress(
        `${subject.case} · ${subject.subject}: ${samples.map((v) => round(v)).join(', ')} ${subject.unit}`,
      );
      return { ...subject, samples };
    };
    results.push(
      row(
        subjects.cliCpu,
        cliRuns.slice(-runs).map((r) => r.cpuMs),
      ),
    );
    if (webRuns.length > 0)
      results.push(
        row(
          subjects.webCpu,
          webRuns.map((r) => r.cpuMs),
        ),
        row(
          subjects.webAllCpu,
          webRuns.map((r) => r.allCpuMs),
        ),
        row(
          subjects.webTasks,
          webRuns.map((r) => r.mainThreadMs),
        ),
        row(
          subjects.afterList,
          webRuns.map((r) => r.afterListTaskMs),
        ),
        row(
          subjects.webLongest,
          webRuns.map((r) => r.longestTaskMs),
        ),
        row(
          subjects.bridgeCpu,
          webRuns.map((r) => r.bridgeCpuMs),
        ),
        row(
          subjects.ratio50k,
          webRuns.map((r) => r.storedBytes / downloadBytes),
        ),
      );

    // (b, c, d) a store of storeCount messages on a profile of its own, filled by the app itself.
    progress(`store: keeping ${thousands(storeCount)} messages in a browser profile`);
    const filler = await profileBrowser(profile);
    let filled = false;
    try {
      const page = filler.pages()[0] ?? (await filler.newPage());
      await signInAndTimeList(page, bridge.url, {
        serverLabel: 'Dovecot',
        username: 'opener',
        password,
        messages: storeCount,
      });
      const before = await usage(page);
      await page.evaluate(whenAllSaved, storeCount);
      await keepEverything(page);
      await page.evaluate(() => (window as unknown as { __benchSaved: Promise<number> }).__benchSaved);
      const kept = await keptCount(page, 'opener');
      if (kept !== storeCount) throw new Error(`${kept} of ${storeCount} messages kept`);
      const after = await usage(page);
      progress(`store: usage ${size(before)} after the list, ${size(after)} with every message kept`);
      results.push(row(subjects.ratioStore, [(after - before) / storeBytes]));
      filled = true;
    } catch (error) {
      progress(`store: filling failed: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      await filler.close();
    }
    if (!filled) {
      for (const subject of [
        subjects.ratioStore,
        subjects.open,
        subjects.openNav,
        subjects.openCpu,
        subjects.openAllCpu,
        subjects.openTasks,
        subjects.exportMs,
        subjects.exportCpu,
        subjects.exportAllCpu,
        subjects.exportFile,
        subjects.exportHeap,
        subjects.exportRetained,
        subjects.exportRenderer,
        subjects.exportChromium,
      ])
        if (!results.some((r) => r.subject === subject.subject && r.case === subject.case))
          results.push(skipped(subject, 'failed: the store could not be filled'));
    } else {
      const openRuns: OpenRun[] = [];
      results.push(
        await measure(
          subjects.open,
          runs,
          async () => {
            const run = await openCold(profile, bridge!.url, storeCount);
            openRuns.push(run);
            return run.ms;
          },
          1,
        ),
      );
      const last = openRuns.slice(-runs);
      if (last.length > 0)
        results.push(
          row(
            subjects.openNav,
            last.map((r) => r.fromNavigationMs),
          ),
          row(
            subjects.openCpu,
            last.map((r) => r.cpuMs),
          ),
          row(
            subjects.openAllCpu,
            last.map((r) => r.allCpuMs),
          ),
          row(
            subjects.openTasks,
            last.map((r) => r.mainThreadMs),
          ),
        );
      const exportRuns: ExportRun[] = [];
      results.push(
        await measure(subjects.exportMs, options.quick ? 1 : 2, async () => {
          const run = await exportMbox(profile, bridge!.url, storeCount);
          exportRuns.push(run);
          progress(
            `store: export ${round(run.ms)} ms, ${size(run.fileBytes)}, heap +${size(run.heapRise)} (retained +${size(run.retainedRise)}), renderers +${size(run.rendererRise)}, Chromium +${size(run.chromiumRise)}`,
          );
          return run.ms;
        }),
      );
      if (exportRuns.length > 0)
        results.push(
          row(
            subjects.exportCpu,
            exportRuns.map((r) => r.cpuMs),
          ),
          row(
            subjects.exportAllCpu,
            exportRuns.map((r) => r.allCpuMs),
          ),
          row(
            subjects.exportFile,
            exportRuns.map((r) => r.fileBytes / MiB),
          ),
          row(
            subjects.exportHeap,
            exportRuns.map((r) => r.heapRise / MiB),
          ),
          row(
            subjects.exportRetained,
            exportRuns.map((r) => r.retainedRise / MiB),
          ),
          row(
            subjects.exportRenderer,
            exportRuns.map((r) => r.rendererRise / MiB),
          ),
          row(
            subjects.exportChromium,
            exportRuns.map((r) => r.chromiumRise / MiB),
          ),
        );
    }
  } finally {
    await browser.close();
    await bridge?.stop();
    await dovecot.stop();
    await rm(profile, { recursive: true, force: true });
    web.remove();
  }
  return { results, targets: storeTargets(results) };
}

/**
 * "Flat": the export holds at most one Blob part of pending chunks (`BLOB_PART_BYTES`, 4 MiB, in
 * apps/web/src/export/limits.ts) and the part being encoded: a bound that does not grow with the file.
 */
const FLAT_HEAP_MIB = 16;

function storeTargets(results: readonly Result[]): TargetCheck[] {
  const find = (prefix: string) =>
    medianOf(results.find((r) => r.group === GROUP && r.subject.startsWith(prefix)));
  const web = find('webpop: background download');
  const cli = find('webpop fetch --out');
  const longest = results.find((r) =>
    r.subject.startsWith('webpop: longest main-thread task over the download'),
  );
  const worst = longest && longest.samples.length > 0 ? Math.max(...longest.samples) : undefined;
  const perByte = find('storage used per byte of mail (estimate() growth');
  const open = find('cold open: click');
  const file = find('export to mbox: file size');
  const rise = find("export to mbox: peak rise of the page's JavaScript heap after a collection");
  const peakRise = find("export to mbox: peak rise of the page's JavaScript heap, uncollected");
  const renderers = find("export to mbox: peak rise of the renderers'");
  return [
    web && cli
      ? {
          target: "background download ≥ 70% of webpop fetch's throughput",
          measured: `${Math.round((cli / web) * 100)}% (${round(web)} ms vs ${round(cli)} ms)`,
          met: cli / web >= 0.7,
        }
      : {
          target: "background download ≥ 70% of webpop fetch's throughput",
          measured: 'missing',
          met: undefined,
        },
    worst !== undefined
      ? {
          target: 'no main-thread task > 50 ms during the download',
          measured: `${round(worst)} ms (worst run)`,
          met: worst <= 50,
        }
      : { target: 'no main-thread task > 50 ms during the download', measured: 'missing', met: undefined },
    perByte !== undefined
      ? { target: 'bytes stored per byte of mail (reported)', measured: `${round(perByte)}×`, met: true }
      : { target: 'bytes stored per byte of mail (reported)', measured: 'missing', met: undefined },
    open !== undefined
      ? {
          target: 'a 10,000-message store opened cold to a usable list < 1 s',
          measured: `${round(open)} ms`,
          met: open < 1000,
        }
      : {
          target: 'a 10,000-message store opened cold to a usable list < 1 s',
          measured: 'missing',
          met: undefined,
        },
    file !== undefined && rise !== undefined
      ? {
          target: `export of 10,000 to mbox: memory flat (the page's heap, collected, rises by < ${FLAT_HEAP_MIB} MiB, whatever the file's size)`,
          measured: `retained heap +${round(rise)} MiB (uncollected peak +${round(peakRise ?? Number.NaN)} MiB), renderers' PSS +${round(renderers ?? Number.NaN)} MiB, for a ${round(file)} MiB file`,
          met: rise < FLAT_HEAP_MIB,
        }
      : { target: 'export of 10,000 to mbox: memory flat', measured: 'missing', met: undefined },
  ];
}
