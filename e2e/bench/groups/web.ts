// Web: the app shell's initial JavaScript (gzip), navigation to an interactive sign-in form, the MIME
// worker's parse time for every corpus message, and the longest main-thread task while scrolling the
// list of 10,000 messages. Real Chromium, the built app served by the bridge.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { corpusMessages, generateMessages, startDovecot } from '@webpop/testkit';
import { startBridgeProcess, type BridgeProcess } from '../lib/bridge-process.js';
import { freshContext, launchChromium } from '../lib/browser.js';
import { initialJsGzipBytes } from '../lib/bundle-size.js';
import { measure, progress, skipped } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import { medianOf, type Result, type TargetCheck } from '../lib/report.js';
import { median, round } from '../lib/stats.js';
import { findTool, missing } from '../lib/tools.js';
import { longestMainThreadTask } from '../lib/trace.js';
import { buildWebApp, type WebBuild } from '../lib/web-build.js';
import { signInAndTimeList } from '../lib/web-session.js';

const GROUP = 'web';

/** In the page, before its scripts: notes when the sign-in form can be used (servers loaded, fields enabled). */
function recordFormReady(): void {
  const w = window as unknown as { __benchFormReady: Promise<number> };
  w.__benchFormReady = new Promise((resolve) => {
    const check = () => {
      const server = document.querySelector<HTMLSelectElement>('select[aria-label="Server"]');
      const username = document.querySelector<HTMLInputElement>('input[aria-label="Username"]');
      if (!server || server.disabled || server.options.length === 0 || !username || username.disabled)
        return false;
      resolve(performance.now());
      return true;
    };
    const observer = new MutationObserver(() => {
      if (check()) observer.disconnect();
    });
    document.addEventListener('DOMContentLoaded', () => {
      if (!check()) observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    });
  });
}

/** Milliseconds from navigation start to a usable sign-in form, on a fresh context (cold cache). */
async function timeToSignInForm(browser: Browser, url: string): Promise<number> {
  const context = await freshContext(browser);
  try {
    await context.addInitScript(recordFormReady);
    const page = await context.newPage();
    await page.goto(url);
    return await page.evaluate(
      () => (window as unknown as { __benchFormReady: Promise<number> }).__benchFormReady,
    );
  } finally {
    await context.close();
  }
}

/** Parses every message in the app's own MIME worker bundle, `runs` times each; milliseconds per message. */
async function workerParseTimes(
  page: Page,
  workerUrl: string,
  messages: Uint8Array[],
  runs: number,
): Promise<number[][]> {
  return page.evaluate(
    async ({ workerUrl, messages, runs }) => {
      const worker = new Worker(workerUrl, { type: 'module' });
      let id = 0;
      const parse = (bytes: number[]) =>
        new Promise<number>((resolve, reject) => {
          const myId = ++id;
          const buffer = new Uint8Array(bytes).buffer;
          const started = performance.now();
          worker.onmessage = (event: MessageEvent<{ id: number; ok: boolean; error?: string }>) => {
            if (event.data.id !== myId) return;
            if (event.data.ok) resolve(performance.now() - started);
            else reject(new Error(event.data.error));
          };
          worker.onerror = (event) => reject(new Error(event.message));
          worker.postMessage({ id: myId, bytes: buffer }, [buffer]);
        });
      // The first parse also loads the worker and postal-mime: not part of any message's figure.
      await parse(messages[0]!);
      const times: number[][] = messages.map(() => []);
      for (let run = 0; run < runs; run++) {
        for (let i = 0; i < messages.length; i++) times[i]!.push(await parse(messages[i]!));
      }
      worker.terminate();
      return times;
    },
    { workerUrl, messages: messages.map((bytes) => Array.from(bytes)), runs },
  );
}

/** Scrolls the message list from top to bottom with the mouse wheel, tracing the renderer. */
async function longestTaskWhileScrolling(browser: Browser, page: Page): Promise<number> {
  const list = page.getByRole('listbox', { name: 'Messages' });
  const box = await list.boundingBox();
  if (!box) throw new Error('the message list is not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await list.evaluate((element) => (element.scrollTop = 0));
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  await page.evaluate(() => console.timeStamp('webpop-bench-scroll-start'));
  for (let step = 0; ; step++) {
    await page.mouse.wheel(0, 1000);
    if (step % 10 !== 9) continue;
    const atEnd = await list.evaluate(
      (element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 2,
    );
    if (atEnd) break;
    if (step > 20_000) throw new Error('the list did not reach its end');
  }
  // Let the last frames render before the end mark.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.evaluate(() => console.timeStamp('webpop-bench-scroll-end'));
  const trace = await browser.stopTracing();
  return longestMainThreadTask(trace, 'webpop-bench-scroll-start', 'webpop-bench-scroll-end').longestMs;
}

export async function webGroup(
  options: BenchOptions,
): Promise<{ results: Result[]; targets: TargetCheck[]; details?: string }> {
  const results: Result[] = [];
  const rowCount = options.quick ? 1000 : 10_000;
  const subjects = {
    size: { group: GROUP, case: 'app shell', subject: 'initial JavaScript, gzip', unit: 'KB' },
    form: {
      group: GROUP,
      case: 'app shell',
      subject: 'navigation to an interactive sign-in form (cold cache)',
      unit: 'ms',
    },
    parseMedian: {
      group: GROUP,
      case: 'MIME worker, corpus',
      subject: 'parse time, median message',
      unit: 'ms',
    },
    parseMax: {
      group: GROUP,
      case: 'MIME worker, corpus',
      subject: 'parse time, slowest message',
      unit: 'ms',
    },
    scroll: {
      group: GROUP,
      case: `scrolling ${rowCount.toLocaleString('en-US')} rows`,
      subject: 'longest main-thread task, top to bottom by mouse wheel',
      unit: 'ms',
    },
  };
  let details: string | undefined;
  progress('web: building the app');
  const web: WebBuild = buildWebApp();
  try {
    const size = initialJsGzipBytes(web.dir);
    progress(`web: initial JavaScript ${size.files.join(', ')}: ${(size.bytes / 1024).toFixed(1)} KB gzip`);
    results.push({ ...subjects.size, samples: [size.bytes / 1024] });
    if (!findTool('chromium')) {
      for (const subject of [subjects.form, subjects.parseMedian, subjects.parseMax, subjects.scroll])
        results.push(skipped(subject, missing('chromium')));
      return { results, targets: webTargets(results) };
    }
    const dovecotPath = findTool('dovecot');
    const password = randomBytes(9).toString('base64url');
    const username = 'scroll';
    const dovecot = dovecotPath
      ? await startDovecot({
          users: [{ username, password }],
          messages: { [username]: generateMessages(rowCount, { seed: 10, headerBytes: 1024 }) },
        })
      : undefined;
    let bridge: BridgeProcess | undefined;
    let browser: Browser | undefined;
    try {
      bridge = await startBridgeProcess({
        servers: dovecot
          ? [
              {
                id: 'dovecot',
                label: 'Dovecot',
                host: dovecot.host,
                port: dovecot.pop3Port,
                security: 'none',
              },
            ]
          : [],
        staticDir: web.dir,
        limits: { connectionsPerIpPerMinute: 100_000 },
      });
      browser = await launchChromium();
      const b = browser;
      const url = bridge.url;
      results.push(await measure(subjects.form, options.runs, () => timeToSignInForm(b, url), 1));

      const corpus = await corpusMessages();
      const worker = readdirSync(join(web.dir, 'assets')).find((name) => /^worker-.*\.js$/.test(name));
      if (!worker) throw new Error('the build has no worker-*.js');
      const context = await freshContext(browser);
      try {
        const page = await context.newPage();
        await page.goto(url);
        const times = await workerParseTimes(
          page,
          `${url}/assets/${worker}`,
          corpus.map((message) => message.bytes),
          options.runs,
        );
        const perMessage = times.map((samples) => median(samples));
        results.push({ ...subjects.parseMedian, samples: [median(perMessage)] });
        results.push({ ...subjects.parseMax, samples: [Math.max(...perMessage)] });
        details = [
          'MIME worker parse time per corpus message (postal-mime in the built worker, Chromium; round trip',
          `from postMessage to the parsed result, median of ${options.runs} runs):`,
          '',
          '| message | bytes | median ms |',
          '| --- | ---: | ---: |',
          ...corpus.map(
            (message, i) => `| ${message.name} | ${message.bytes.length} | ${round(perMessage[i]!)} |`,
          ),
        ].join('\n');
        progress(`web: worker parse medians ${perMessage.map((v) => v.toFixed(1)).join(', ')} ms`);
      } finally {
        await context.close();
      }

      if (dovecot) {
        results.push(
          await measure(subjects.scroll, Math.min(options.runs, 3), async () => {
            const scrollContext = await freshContext(b);
            try {
              const page = await scrollContext.newPage();
              await signInAndTimeList(page, url, {
                serverLabel: 'Dovecot',
                username,
                password,
                messages: rowCount,
              });
              return await longestTaskWhileScrolling(b, page);
            } finally {
              await scrollContext.close();
            }
          }),
        );
      } else results.push(skipped(subjects.scroll, missing('dovecot')));
    } finally {
      await browser?.close();
      await bridge?.stop();
      await dovecot?.stop();
    }
  } finally {
    web.remove();
  }
  return { results, targets: webTargets(results), ...(details ? { details } : {}) };
}

function webTargets(results: readonly Result[]): TargetCheck[] {
  const size = medianOf(results.find((r) => r.subject === 'initial JavaScript, gzip'));
  const scroll = results.find((r) => r.subject.startsWith('longest main-thread task'));
  const longest = medianOf(scroll);
  return [
    {
      target: 'initial JavaScript of the app shell under 100 KB gzip',
      measured: size === undefined ? 'missing' : `${round(size)} KB`,
      met: size === undefined ? undefined : size < 100,
    },
    {
      target: `longest main-thread task while ${scroll?.case ?? 'scrolling'} under 50 ms`,
      measured: longest === undefined ? 'missing' : `${round(longest)} ms`,
      met: longest === undefined ? undefined : longest < 50,
    },
  ];
}
