// The engine in Chromium without the app: a page at the bridge's origin (the bridge serves it, so the
// WebSocket's Origin is its own) that opens a session through the bridge and RETRs one message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { build } from 'esbuild';
import { freshContext } from './browser.js';

/** In the page: `window.__benchRetr(server, username, password)` times a whole session (connect to QUIT). */
const entry = `
import { openSession } from '@webpop/pop3';
import { connectWebSocketTransport } from '@webpop/pop3/browser';
window.__benchRetr = async (server, username, password) => {
  const url = new URL('pop3', document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const started = performance.now();
  const transport = await connectWebSocketTransport({ url, target: { server }, connectTimeoutMs: 20000 });
  const client = await openSession(transport, {
    security: transport.connected.security,
    credentials: { username, password, method: 'user', allowPlaintext: true },
  });
  const bytes = await client.retr(1);
  await client.quit();
  return { ms: performance.now() - started, bytes: bytes.length };
};
`;

export interface BrowserEnginePage {
  /** The folder for the bridge's `staticDir`: index.html and the engine's bundle. */
  readonly dir: string;
  remove(): void;
}

/** Bundles the engine (its sources, as the app's Vite build takes them) into a page for the bridge to serve. */
export async function buildBrowserEnginePage(): Promise<BrowserEnginePage> {
  const dir = mkdtempSync(join(tmpdir(), 'webpop-bench-engine-page-'));
  await build({
    stdin: { contents: entry, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['@webpop/source'],
    outfile: join(dir, 'retr.js'),
    logLevel: 'silent',
  });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>engine</title><script type="module" src="./retr.js"></script>',
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BrowserRetr {
  readonly bytes: number;
  readonly ms: number;
  /** The renderer's main-thread task time over the session (Chromium's `TaskDuration`). */
  readonly mainThreadMs: number;
}

/** One session in a fresh context: connect through the bridge, log in, RETR 1, QUIT, timed in the page. */
export async function retrInChromium(
  browser: Browser,
  url: string,
  account: { server: string; username: string; password: string },
): Promise<BrowserRetr> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => '__benchRetr' in window);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ??
      Number.NaN;
    const before = await taskSeconds();
    const result = await page.evaluate(
      ({ server, username, password }) =>
        (
          window as unknown as {
            __benchRetr: (s: string, u: string, p: string) => Promise<{ ms: number; bytes: number }>;
          }
        ).__benchRetr(server, username, password),
      account,
    );
    return { ...result, mainThreadMs: ((await taskSeconds()) - before) * 1000 };
  } finally {
    await context.close();
  }
}
