import { defineConfig } from '@playwright/test';
import type { MailboxTestOptions } from '@webpop/playwright';
import { systemChromiumLaunchOptions } from '@webpop/testkit';

// This package's own end-to-end tests: the mailbox fixture against a real Dovecot
// that each worker starts on loopback (e2e/dovecot-fixtures.ts), and one shared by all (e2e/shared-dovecot.ts).
const chromium = systemChromiumLaunchOptions();

export default defineConfig<MailboxTestOptions>({
  testDir: './e2e',
  // Maps the workspace packages to their TypeScript sources, so the tests never run a stale build.
  tsconfig: './tsconfig.e2e.json',
  // One Dovecot shared by every worker, for the parallel tests (e2e/shared-dovecot.ts).
  globalSetup: './e2e/global-setup.ts',
  // Two workers, so the parallel tests really run side by side on one mailbox.
  workers: 2,
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'line' : 'list',
  outputDir: './.tmp/test-results',
  use: {
    // Where a real suite would configure its mailbox; here the Dovecot fixture sets mailboxOptions.
    mailbox: { cleanup: 'consumed', pollInterval: 500 },
    // Debian's Chromium, for the tests that open a message in a page (Playwright cannot download here).
    // The sign-up app serves the mail's image on loopback; Chromium's private-network rules would
    // block that request from the message frame (an opaque origin), so the image test could not see it.
    launchOptions: {
      ...chromium,
      args: [
        ...(chromium.args ?? []),
        '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessForNavigations,LocalNetworkAccessChecks',
      ],
    },
  },
});
