import { defineConfig } from '@playwright/test';
import { systemChromiumLaunchOptions } from '@webpop/testkit';

// Real Chromium against the real bridge serving the freshly built app (global-setup.ts); each test
// starts its own testkit POP3 servers and bridge on ephemeral loopback ports (support/lab.ts).
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // Maps the workspace packages (bridge, testkit) to their TypeScript sources: never a stale build.
  tsconfig: './tsconfig.json',
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'line' : 'list',
  outputDir: '../test-results',
  use: {
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    trace: 'retain-on-failure',
    acceptDownloads: true,
    // Debian's Chromium where it is installed (Playwright cannot download browsers here).
    launchOptions: systemChromiumLaunchOptions(),
  },
});
