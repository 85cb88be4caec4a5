import {
  test as base,
  type PlaywrightTestArgs,
  type PlaywrightTestOptions,
  type PlaywrightWorkerArgs,
  type PlaywrightWorkerOptions,
  type TestInfo,
  type TestType,
} from '@playwright/test';
import { Mailbox } from './mailbox.js';
import type { MailboxOptions } from './options.js';
import { mergeMailboxOptions } from './resolve-options.js';

/**
 * The options: `use: { mailbox: { … } }` in playwright.config.ts (type it with
 * `defineConfig<MailboxTestOptions>`), and `mailboxOptions`, which wins over it and can be set with
 * `test.use({ mailboxOptions })` in a test file or computed by another fixture.
 */
export interface MailboxTestOptions {
  mailbox: MailboxOptions;
  mailboxOptions: MailboxOptions;
}

/** What a test gets: `test('…', async ({ mailbox }) => …)`. */
export interface MailboxFixtures {
  mailbox: Mailbox;
  mailboxOptions: MailboxOptions;
}

const withMailboxOptions = base.extend<MailboxTestOptions>({
  mailbox: [{}, { option: true }],
  mailboxOptions: [{}, { option: true }],
});

/**
 * Replaces the `mailbox` option with a Mailbox built from it: Playwright hands a fixture that overrides
 * itself the value below it, and puts the config's `use.mailbox` right above the option.
 */
async function provideMailbox(
  { mailbox: configured, mailboxOptions }: MailboxTestOptions,
  use: (mailbox: Mailbox) => Promise<void>,
  testInfo: TestInfo,
): Promise<void> {
  const mailbox = new Mailbox(mergeMailboxOptions(configured, mailboxOptions), {
    testId: testInfo.testId,
    repeatEachIndex: testInfo.repeatEachIndex,
    retry: testInfo.retry,
  });
  await mailbox.ignoreExistingMessages();
  try {
    await use(mailbox);
  } finally {
    mailbox.cancelPendingWaits();
  }
  if (testInfo.status !== testInfo.expectedStatus) await attachReceivedMessages(mailbox, testInfo);
  await mailbox.cleanup();
}

/** On failure, the messages the test received go into the report as .eml files. */
async function attachReceivedMessages(mailbox: Mailbox, testInfo: TestInfo): Promise<void> {
  for (const [index, message] of mailbox.received.entries()) {
    await testInfo.attach(`mail-${index + 1}.eml`, {
      body: Buffer.from(message.raw),
      contentType: 'message/rfc822',
    });
  }
}

/** Playwright's `test` with a `mailbox` fixture. */
export const test = withMailboxOptions.extend({
  mailbox: provideMailbox as never,
}) as unknown as TestType<
  PlaywrightTestArgs & PlaywrightTestOptions & MailboxFixtures,
  PlaywrightWorkerArgs & PlaywrightWorkerOptions
>;

export { expect } from './matchers.js';
