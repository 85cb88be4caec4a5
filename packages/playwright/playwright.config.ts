import { defineConfig } from '@playwright/test';
import type { MailboxTestOptions } from '@webpop/playwright';

// This package's own end-to-end tests: no browser, only the mailbox fixture against a real Dovecot
// that each worker starts on loopback (e2e/dovecot-fixtures.ts).
export default defineConfig<MailboxTestOptions>({
  testDir: './e2e',
  // Maps the workspace packages to their TypeScript sources, so the tests never run a stale build.
  tsconfig: './tsconfig.e2e.json',
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'line' : 'list',
  outputDir: './.tmp/test-results',
  use: {
    // Where a real suite would configure its mailbox; here the Dovecot fixture sets mailboxOptions.
    mailbox: { cleanup: 'consumed', pollInterval: 500 },
  },
});
