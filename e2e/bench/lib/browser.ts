import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { systemChromiumLaunchOptions } from '@webpop/testkit';

/** Playwright's Chromium driver with the system's Chromium, headless, launched as the test suites do. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(systemChromiumLaunchOptions());
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
