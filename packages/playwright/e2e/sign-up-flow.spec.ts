// The README's complete sign-up test, run against a real Dovecot and a small app that mails through
// SMTP: sign up → wait → code → open → click. Chromium is the system's (testkit's launch options).
import { test as dovecotTest, expect, user } from './dovecot-fixtures.js';
import { startSignUpApp, type SignUpApp } from './sign-up-app.js';

const test = dovecotTest.extend<{ app: SignUpApp }>({
  app: async ({ dovecot }, use) => {
    const app = await startSignUpApp(dovecot, user);
    await use(app);
    await app.stop();
  },
});

// --- the README's example, as it is there (with the app's URL instead of baseURL) ---
test('a new user signs up, types the code and clicks the link', async ({ page, mailbox, app }) => {
  const email = mailbox.address(); // signup+3f9a0c12d4@example.test; `to` defaults to it

  await page.goto(`${app.url}/sign-up`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Create account' }).click();

  const message = await mailbox.waitForMessage({ subject: /confirm/i });
  await page.getByLabel('Confirmation code').fill(message.code()); // e.g. G3H1Y2, from HTML-only mail
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText('Your code is right')).toBeVisible();

  await message.open(page); // the mail as a mail client shows it, in this page
  await message.click('Confirm my address'); // the real call-to-action
  await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
  await expect(page.getByText(`${email} is confirmed`)).toBeVisible();
});
// --- end of the example ---

test('open(page): sanitized, sandboxed, images blocked unless asked', async ({ page, mailbox, app }) => {
  const email = mailbox.address();
  await page.goto(`${app.url}/sign-up`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Create account' }).click();
  const message = await mailbox.waitForMessage({ html: /Confirm my address/ });

  // Counted by the app's server: requests from the sandboxed frame bypass Playwright's page.route.
  const frame = await message.open(page);
  await expect(frame.getByRole('link', { name: 'Confirm my address' })).toBeVisible();
  const sandbox = await page.locator('iframe').getAttribute('sandbox');
  expect(sandbox).toBe('allow-top-navigation-by-user-activation allow-popups');
  expect(await frame.locator('img').count()).toBe(1);
  expect(app.pixelLoads()).toBe(0);

  await message.open(page, { images: true });
  await expect.poll(() => app.pixelLoads()).toBe(1);
  await expect(message.click('Delete my account')).rejects.toThrow(
    'message.click: no link or button containing "Delete my account" in the message. Its links: "Confirm my address"',
  );
});
