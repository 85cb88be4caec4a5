import { defineConfig } from '@playwright/test';
import { systemChromiumLaunchOptions } from '@webpop/testkit';

// Real Chromium against the real bridge serving the app that global-setup.ts builds once per run.
// Two projects, one support/: `dovecot` (tests/: one real Dovecot and bridge per worker, a user per
// scenario) and `testkit` (lab/: each test starts testkit POP3 servers whose faults it switches, and a
// bridge it can restart).
export default defineConfig({
  testMatch: '*.spec.ts',
  // Maps the workspace packages to their TypeScript sources, so the suite never runs a stale build.
  tsconfig: './tsconfig.json',
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  // One worker: the Dovecot project's servers start once (a worker fixture) and its users keep the
  // tests apart; the testkit project's labs are cheap, and a second worker would only compete for the CPU.
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
    trace: 'retain-on-failure',
    acceptDownloads: true,
    // Debian's Chromium where it is installed (Playwright cannot download browsers here).
    launchOptions: systemChromiumLaunchOptions(),
  },
  projects: [
    {
      name: 'dovecot',
      testDir: './tests',
      expect: { timeout: 15_000 },
      use: { timezoneId: 'UTC', screenshot: 'only-on-failure' },
    },
    { name: 'testkit', testDir: './lab', expect: { timeout: 10_000 } },
  ],
});
