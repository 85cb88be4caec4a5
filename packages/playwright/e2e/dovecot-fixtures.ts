// A real Dovecot per Playwright worker, and the mailbox fixture pointed at it over TLS with its CA.
import { randomBytes } from 'node:crypto';
import { startDovecot, type RunningDovecot } from '@webpop/testkit';
import { test as mailboxTest } from '@webpop/playwright';
import type { Security } from '@webpop/pop3';

export const user = 'signup';

export interface DovecotFixtures {
  /** How the mailbox connects: implicit TLS (pop3s) or plain with STLS. */
  pop3Security: Exclude<Security, 'none'>;
}

export interface DovecotWorkerFixtures {
  dovecot: RunningDovecot;
}

export const test = mailboxTest.extend<DovecotFixtures, DovecotWorkerFixtures>({
  dovecot: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from it
    async ({}, use) => {
      const dovecot = await startDovecot({
        users: [{ username: user, password: randomBytes(12).toString('hex') }],
        // Already there when each test starts: the mailbox fixture must not return it.
        messages: { [user]: [Buffer.from(oldSignUpMail)] },
      });
      try {
        await use(dovecot);
      } finally {
        await dovecot.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  pop3Security: ['tls', { option: true }],
  mailboxOptions: async ({ dovecot, pop3Security }, use) => {
    await use({
      host: dovecot.host,
      port: pop3Security === 'tls' ? dovecot.pop3sPort : dovecot.pop3Port,
      security: pop3Security,
      ca: dovecot.caPem,
      username: user,
      address: `${user}@example.test`,
      password: dovecot.users[0]!.password,
    });
  },
});

export { expect } from '@webpop/playwright';

const oldSignUpMail = [
  'From: Acme <noreply@acme.test>',
  'To: signup@example.test',
  'Subject: Confirm your e-mail address',
  'Date: Mon, 01 Jan 2024 10:00:00 +0000',
  'Message-ID: <old-signup@acme.test>',
  '',
  'Your code is 111111.',
  '',
].join('\r\n');
