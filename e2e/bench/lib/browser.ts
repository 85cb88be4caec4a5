import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { findTool } from './tools.js';

/** Playwright's Chromium driver with Debian's Chromium, headless, as the e2e suites launch it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findTool('chromium');
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh context (empty cache and IndexedDB). Functions this TypeScript passes to the page are compiled
 * by tsx with esbuild's keepNames, which wraps them in a `__name` helper the page lacks: define it.
 */
export async function freshContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  await context.addInitScript('globalThis.__name = (fn) => fn;');
  return context;
}
