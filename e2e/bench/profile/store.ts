// A CPU profile of the page's background download into the mail store (issue 15): the app built
// without minifying, real Dovecot and the bridge, a sign-in and its list, then Settings → Keep on this
// device: Everything, V8's sampling profiler on the main thread from Save to "N of N saved on this
// device". Prints main-thread task time and renderer CPU per message and the functions that took the
// most time (self and inclusive). Not a benchmark: a tool to find where the download's time goes.
// With `--compare DIR` (another build of the app, `vite build --outDir DIR`), no profile: `--runs`
// rounds of the built `webpop fetch`, that build's download and this one's, side by side, with CPU.
//
//   node --conditions=@webpop/source --import tsx e2e/bench/profile/store.ts [messages] [--top N]
//   node --conditions=@webpop/source --import tsx e2e/bench/profile/store.ts [messages] --compare DIR [--runs N]
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import { generateMessages, startDovecot } from '@webpop/testkit';
import { startBridgeProcess } from '../lib/bridge-process.js';
import { freshContext, launchChromium } from '../lib/browser.js';
import { chromiumCpuMs } from '../lib/chromium-processes.js';
import { describeProfile, startCpuProfile, stopCpuProfile, type CpuProfile } from '../lib/cpu-profile.js';
import { buildCli, cliFetch, keepEverything, whenAllSaved } from '../groups/store.js';
import { buildWebApp } from '../lib/web-build.js';
import { signInAndTimeList } from '../lib/web-session.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '40' },
    compare: { type: 'string' },
    runs: { type: 'string', default: '3' },
  },
});
const count = Number(positionals[0] ?? 1_000);
const top = Number(values.top);
const password = randomBytes(9).toString('base64url');
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join('/');
process.stdout.write(`load at start ${load()}; ${count} messages of 50 KB\n`);

const compare = values.compare;
const web = buildWebApp({ minify: compare !== undefined ? true : false });
const users = ['warm', 'profiled'].map((username) => ({ username, password }));
const mail = generateMessages(count, { seed: 15, headerBytes: 800, bodyBytes: 50_000 });
const mailBytes = mail.reduce((sum, m) => sum + m.length, 0);
const dovecot = await startDovecot({
  users,
  messages: Object.fromEntries(users.map(({ username }) => [username, mail])),
  extraConfig: 'mail_max_userip_connections = 1000',
});
const servers = [
  { id: 'direct', label: 'Dovecot', host: dovecot.host, port: dovecot.pop3Port, security: 'none' as const },
];
const limits = { connectionsPerIpPerMinute: 100_000, connectionsPerIp: 1000 };
const bridge = await startBridgeProcess({ servers, staticDir: web.dir, limits });
const other = compare ? await startBridgeProcess({ servers, staticDir: compare, limits }) : undefined;
const browser = await launchChromium();

interface Download {
  readonly ms: number;
  readonly tasksMs: number;
  readonly renderersMs: number;
  readonly allMs: number;
  readonly profile?: CpuProfile;
}

/** Signs in at `url`, then Keep on this device: Everything, timed (and profiled) to the last saved. */
async function download(
  browser: Browser,
  url: string,
  username: string,
  profiled: boolean,
): Promise<Download> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    await signInAndTimeList(page, url, { serverLabel: 'Dovecot', username, password, messages: count });
    await page.waitForTimeout(3000);
    await page.evaluate(whenAllSaved, count);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ??
      Number.NaN;
    if (profiled) await startCpuProfile(cdp);
    const tasksBefore = await taskSeconds();
    const cpuBefore = chromiumCpuMs();
    const started = await page.evaluate(() => performance.now());
    await keepEverything(page);
    const ended = await page.evaluate(
      () => (window as unknown as { __benchSaved: Promise<number> }).__benchSaved,
    );
    const cpuAfter = chromiumCpuMs();
    const tasksMs = ((await taskSeconds()) - tasksBefore) * 1000;
    const profile = profiled ? await stopCpuProfile(cdp) : undefined;
    return {
      ms: ended - started,
      tasksMs,
      renderersMs: cpuAfter.renderers - cpuBefore.renderers,
      allMs: cpuAfter.all - cpuBefore.all,
      profile,
    };
  } finally {
    await context.close();
  }
}

const describe = (name: string, run: Download) =>
  `${name}: download ${run.ms.toFixed(0)} ms, main-thread tasks ${run.tasksMs.toFixed(0)} ms ` +
  `(${(run.tasksMs / count).toFixed(2)} ms/message), renderers' CPU ${run.renderersMs.toFixed(0)} ms, ` +
  `all Chromium ${run.allMs.toFixed(0)} ms; load ${load()}\n`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  if (other) {
    const cli = buildCli();
    const rows: Record<
      'fetch' | 'compared' | 'this',
      Array<{ ms: number; cpuMs: number; tasksMs?: number }>
    > = { fetch: [], compared: [], this: [] };
    await download(browser, bridge.url, 'warm', false); // Dovecot builds its index
    for (let round = 1; round <= Number(values.runs); round++) {
      const fetched = await cliFetch(
        cli,
        { host: dovecot.host, port: dovecot.pop3Port },
        {
          username: 'profiled',
          password,
          count,
          bytes: mailBytes,
        },
      );
      rows.fetch.push(fetched);
      process.stdout.write(
        `round ${round}: webpop fetch ${fetched.ms.toFixed(0)} ms, CPU ${fetched.cpuMs.toFixed(0)} ms; load ${load()}\n`,
      );
      for (const [name, url] of [
        ['compared', other.url],
        ['this', bridge.url],
      ] as const) {
        const run = await download(browser, url, 'profiled', false);
        rows[name].push({ ms: run.ms, cpuMs: run.allMs, tasksMs: run.tasksMs });
        process.stdout.write(`round ${round}: ${describe(name === 'this' ? 'this build' : compare!, run)}`);
      }
    }
    const fetchMs = median(rows.fetch.map((r) => r.ms));
    for (const name of ['compared', 'this'] as const) {
      const ms = median(rows[name].map((r) => r.ms));
      process.stdout.write(
        `median ${name === 'this' ? 'this build' : 'compared build'}: download ${ms.toFixed(0)} ms, ` +
          `all Chromium CPU ${median(rows[name].map((r) => r.cpuMs)).toFixed(0)} ms, main-thread tasks ` +
          `${(median(rows[name].map((r) => r.tasksMs!)) / count).toFixed(2)} ms/message; ` +
          `fetch/download ${((fetchMs / ms) * 100).toFixed(0)}%\n`,
      );
    }
    process.stdout.write(
      `median webpop fetch: ${fetchMs.toFixed(0)} ms, CPU ${median(rows.fetch.map((r) => r.cpuMs)).toFixed(0)} ms; load ${load()}\n`,
    );
  } else
    for (const { username } of users) {
      const run = await download(browser, bridge.url, username, username === 'profiled');
      process.stdout.write(describe(username, run));
      const profile = run.profile;
      if (!profile) continue;
      process.stdout.write(describeProfile(profile, top));
    }
} finally {
  await browser.close();
  await bridge.stop();
  await other?.stop();
  await dovecot.stop();
  web.remove();
}
