// Parallel workers share one real Dovecot mailbox; each test gets its own plus-address, and `to`
// defaults to it, so no test sees another's mail although all of them carry the same subject.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect, deliverShared, sharedDovecot } from './shared-dovecot.js';
import { newsletterMail, signUpMail } from './mails.js';

test.describe.configure({ mode: 'parallel' });

/** The sign-up tokens the tests in this worker received (their cleanup must delete those mails). */
const receivedHere: string[] = [];

for (const index of [1, 2, 3, 4]) {
  test(`test ${index} receives only the mail sent to its own address`, async ({ mailbox }) => {
    const mine = mailbox.address();
    const code = String(100000 + index * 11111);
    const token = `par-${index}-${Date.now()}`;
    // A decoy for an address of this mailbox that no test owns, then this test's own mail.
    await deliverShared(signUpMail({ to: `team+nobody@example.test`, code: '999999', token: `${token}-x` }));
    await deliverShared(signUpMail({ to: `"New User" <${mine}>`, code, token }));
    await deliverShared(newsletterMail(mine, 'Team news'));

    await expect(mailbox).toReceive({ subject: /bestätigen/i, timeout: 15_000 });
    const [message] = mailbox.received;
    expect(message!.to).toBe(`New User <${mine}>`);
    expect(message!.code()).toBe(code);
    receivedHere.push(token);
    expect(message!).toHaveLink('Confirm my address');
    await mailbox.expectNoMessage({ subject: /bestätigen/i }, { within: 1_000 });
  });
}

// After this worker's tests: their cleanup deleted each one's sign-up mail and left the decoys.
test.afterAll(async () => {
  const { maildir } = sharedDovecot();
  const files = await Promise.all(
    ['new', 'cur'].map(async (sub) =>
      (await readdir(join(maildir, sub))).map((name) => join(maildir, sub, name)),
    ),
  );
  const contents = (await Promise.all(files.flat().map((path) => readFile(path, 'utf8')))).join('\n');
  expect(receivedHere.length).toBeGreaterThan(0);
  for (const token of receivedHere) {
    expect(contents).not.toContain(`Message-ID: <${token}@acme.test>`);
    expect(contents).toContain(`Message-ID: <${token}-x@acme.test>`);
  }
});
