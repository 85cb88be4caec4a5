// The code and the links of a sign-up mail that arrives while the test waits for it.
import { readFile } from 'node:fs/promises';
import { test, expect, user } from './dovecot-fixtures.js';
import { newsletterMail, signUpMail } from './mails.js';

test.describe('waitForMessage against a real Dovecot', () => {
  for (const security of ['tls', 'starttls'] as const) {
    test.describe(`over ${security}`, () => {
      test.use({ pop3Security: security });

      test('reads the code and the links of a mail delivered while it waits', async ({
        mailbox,
        dovecot,
      }) => {
        const to = `new-user+${security}@example.test`;
        const token = `tok-${security}-${Date.now()}`;
        const started = new Date();
        // Something else first, then the sign-up mail, both a little after the test starts waiting.
        const deliveries = Promise.all([
          later(300, () => dovecot.deliver(user, newsletterMail(to, 'Our news'))),
          later(1_200, () => dovecot.deliver(user, signUpMail({ to, code: '482913', token }))),
        ]);

        const message = await mailbox.waitForMessage({
          to,
          subject: /bestätigen/i,
          since: started,
          timeout: 15_000,
          pollInterval: 200,
        });
        await deliveries;

        expect(Date.now() - started.getTime()).toBeGreaterThanOrEqual(1_100);
        expect(message.subject).toBe('Bestätigen Sie Ihre Adresse');
        expect(message.from).toContain('noreply@acme.test');
        expect(message.code()).toBe('482913');
        const verify = `https://app.example.test/verify?token=${token}&user=${encodeURIComponent(to)}`;
        expect(message.links()).toEqual([verify, 'https://app.example.test/help']);
        expect(message.link('/verify')).toBe(verify);
        expect(mailbox.received).toEqual([message]);
      });
    });
  }
});

// Runs in the worker that ran the tests above, so it sees their Dovecot: the fixture's cleanup
// ('consumed') deleted the sign-up mails the tests received, and left the others.
test.afterAll(async ({ dovecot }) => {
  const remaining = await Promise.all(
    (await dovecot.maildirFiles(user)).map((path) => readFile(path, 'utf8')),
  );
  expect(remaining.filter((mail) => mail.includes('Subject: Our news'))).toHaveLength(2);
  expect(remaining.filter((mail) => mail.includes('Message-ID: <tok-'))).toEqual([]);
  expect(remaining.filter((mail) => mail.includes('<old-signup@acme.test>'))).toHaveLength(1);
});

function later<T>(ms: number, action: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => setTimeout(() => action().then(resolve, reject), ms));
}
