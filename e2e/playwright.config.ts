import { defineConfig } from '@playwright/test';
import { systemChromiumLaunchOptions } from '@webpop/testkit';

export default defineConfig({
  testDir: './tests',
  testMatch: '*.spec.ts',
  // Maps the workspace packages to their TypeScript sources, so the suite never runs a stale build.
  tsconfig: './tsconfig.json',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // One worker: the servers start once (a worker fixture) and the tests' users keep them apart.
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [
    [process.env.CI ? 'line' : 'list'],
    // Under .tmp/: ignored by git, ESLint and Prettier (a report with traces carries the viewer's scripts).
    ['html', { open: 'never', outputFolder: '.tmp/playwright-report' }],
  ],
  outputDir: './test-results',
  use: {
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    acceptDownloads: true,
    // Debian's Chromium where it is installed (Playwright cannot download browsers here).
    launchOptions: systemChromiumLaunchOptions(),
  },
});
