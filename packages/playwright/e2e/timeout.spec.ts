// A wait that times out says what it looked for and what arrived instead.
import { MailboxTimeoutError } from '@webpop/playwright';
import { test, expect, user } from './dovecot-fixtures.js';
import { newsletterMail } from './mails.js';

test('a timeout lists the criteria and what did arrive', async ({ mailbox, dovecot }) => {
  setTimeout(() => void dovecot.deliver(user, newsletterMail('carol@example.test', 'Weekly digest')), 200);

  const error: unknown = await mailbox
    .waitForMessage({ to: 'carol@', subject: /password reset/i, timeout: 1_500, pollInterval: 200 })
    .catch((caught: unknown) => caught);

  expect(error).toBeInstanceOf(MailboxTimeoutError);
  const message = (error as MailboxTimeoutError).message;
  expect(message).toContain(
    `no message (to containing "carol@" and subject matching /password reset/i) arrived in ${user}@127.0.0.1:`,
  );
  expect(message).toContain('within 1500 ms');
  expect(message).toMatch(
    /1 other message arrived, none matched:\n {2}- subject: "Weekly digest", from: "Acme News <news@acme.test>", to: "carol@example.test", date: \d{4}-/,
  );
  // At least the message put into the maildir before Dovecot started (other tests may have left more).
  expect(message).toMatch(/Not considered: \d+ messages? already in the mailbox when it was opened/);
});
