// expect(mailbox).toReceive / .not.toReceive, expectNoMessage both ways, content criteria, codes and
// links by text, against a real Dovecot.
import { test, expect, user } from './dovecot-fixtures.js';
import { newsletterMail, signUpMail } from './mails.js';

test('toReceive waits with the expect timeout; toHaveLink and toHaveCode read the message', async ({
  mailbox,
  dovecot,
}) => {
  const to = mailbox.address('matchers');
  setTimeout(() => void dovecot.deliver(user, newsletterMail(to, 'Matcher news')), 200);
  setTimeout(() => void dovecot.deliver(user, signUpMail({ to, code: '482913', token: 'tok-m' })), 600);

  await expect(mailbox).toReceive({ text: /confirmation code is \d{6}/, timeout: 10_000 });
  const message = mailbox.received[0]!;
  expect(message.subject).toBe('Bestätigen Sie Ihre Adresse');
  await expect(message).toHaveLink('Confirm my address');
  await expect(message).toHaveLink(/\/verify\?token=tok-m/);
  await expect(message).not.toHaveLink('Unsubscribe');
  expect(message).toHaveCode('482913');
  expect(message.codes()).toEqual(['482913']);
});

test('a failing toReceive says what it waited for and what arrived', async ({ mailbox, dovecot }) => {
  const to = mailbox.address();
  setTimeout(() => void dovecot.deliver(user, newsletterMail(to, 'Weekly digest')), 100);
  const failure = await expect(mailbox)
    .toReceive({ subject: /password reset/i, timeout: 1_500 })
    .then(
      () => undefined,
      (error: Error) => withoutColours(error.message),
    );
  expect(failure).toContain('expect(mailbox).toReceive(criteria)');
  expect(failure).toContain(`waitForMessage: no message (to ${to} and subject matching /password reset/i)`);
  expect(failure).toMatch(/1 other message arrived, none matched:\n {2}- subject: "Weekly digest"/);
});

test('expectNoMessage and .not.toReceive pass when nothing matching comes, and fail when it does', async ({
  mailbox,
  dovecot,
}) => {
  const to = mailbox.address();
  await dovecot.deliver(user, newsletterMail(to, 'Weekly digest'));
  await mailbox.expectNoMessage({ subject: /reset/i }, { within: 800 });
  await expect(mailbox).not.toReceive({ subject: /reset/i, timeout: 800 });

  setTimeout(() => void dovecot.deliver(user, newsletterMail(to, 'Password reset')), 200);
  const failure = await expect(mailbox)
    .not.toReceive({ subject: /reset/i, timeout: 5_000 })
    .then(
      () => undefined,
      (error: Error) => withoutColours(error.message),
    );
  expect(failure).toContain('expect(mailbox).not.toReceive(criteria)');
  expect(failure).toMatch(/expectNoMessage: a message \(to .* and subject matching \/reset\/i\) arrived in/);
  expect(failure).toContain('  - subject: "Password reset", from: "Acme News <news@acme.test>"');
});

function withoutColours(text: string): string {
  // eslint-disable-next-line no-control-regex -- the ANSI colour codes of Playwright's matcher hint
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
