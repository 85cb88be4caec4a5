// Signing in with OAuth 2.0 end to end (issue 18): Chromium → the real oidc-provider's login and
// consent pages → back to the app (authorization code with PKCE) → the real bridge → Dovecot's oauth2
// passdb validating the JWT access token. The list and a message; the token refreshed during the
// session (it lives 65 s, the app renews it a minute before); a revoked grant ending in "Sign in with
// Example ID again"; a token for another user refused by the mail server.
import { test as base, type Page, type Request } from '@playwright/test';
import { messageList, reader, row } from '../support/app.js';
import { startOAuthServers, type OAuthServers } from '../support/oauth-servers.js';
import { expect } from '../support/test.js';

const test = base.extend<object, { oauth: OAuthServers }>({
  oauth: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from it
    async ({}, use) => {
      const servers = await startOAuthServers();
      try {
        await use(servers);
      } finally {
        await servers.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  baseURL: async ({ oauth }, use) => use(oauth.url),
  page: async ({ page }, use) => {
    // The provider's development pages import a web font: nothing leaves loopback.
    await page.context().route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    await use(page);
  },
});

/** The provider's pages: its login form (when it has no session yet), then its consent page. */
async function passProvider(page: Page, oauth: OAuthServers, user: string): Promise<void> {
  const login = page.locator('input[name="login"]');
  const consent = page.getByRole('button', { name: 'Continue' });
  await expect(login.or(consent)).toBeVisible();
  expect(new URL(page.url()).origin).toBe(oauth.provider.issuer);
  if (await login.isVisible()) {
    await login.fill(user);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
  }
  await consent.click();
}

async function signInWithProvider(page: Page, oauth: OAuthServers, user: string, typed = '') {
  await page.goto('/');
  if (typed) await page.getByRole('textbox', { name: 'Username' }).fill(typed);
  await page.getByRole('button', { name: `Sign in with ${oauth.label}`, exact: true }).click();
  await passProvider(page, oauth, user);
}

const refreshGrant = (oauth: OAuthServers) => (request: Request) =>
  request.url().startsWith(oauth.provider.issuer) &&
  request.method() === 'POST' &&
  (request.postData() ?? '').includes('grant_type=refresh_token');

test('signs in with the provider, lists and reads, and refreshes the token during the session', async ({
  page,
  oauth,
}) => {
  const refreshed = page.waitForResponse((response) => refreshGrant(oauth)(response.request()));
  await signInWithProvider(page, oauth, 'olga');
  const list = messageList(page);
  // The worker's first sign-in also loads the mailbox's code and Dovecot's first login: 15 s was
  // not always enough at a load of 29 on 2 cores.
  await expect(list).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  for (const subject of oauth.subjects.olga!) await expect(row(list, subject)).toBeVisible();
  // The return's code and state are gone from the address bar, the verifier from sessionStorage, and
  // no token is in any web storage.
  expect(new URL(page.url()).search).toBe('');
  const [pending, local] = await page.evaluate(() => [sessionStorage.length, JSON.stringify(localStorage)]);
  expect(pending).toBe(0);
  // A JWT begins with the base64url of `{"`.
  expect(local).not.toContain('eyJ');

  await row(list, 'For olga: the minutes').click();
  await expect(reader(page)).toContainText('For olga: the minutes');

  // About 5 s in, the token endpoint renews the token; the next login (Refresh) presents the new one.
  expect((await refreshed).status()).toBe(200);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(list).toHaveAttribute('aria-busy', 'false');
  await expect(row(list, 'For olga: the plan')).toBeVisible();
});

test('a revoked grant ends in a clear re-consent, and signing in with the provider again goes on', async ({
  page,
  oauth,
}) => {
  await signInWithProvider(page, oauth, 'otto');
  const list = messageList(page);
  await expect(row(list, 'For otto: the plan')).toBeVisible();
  expect(await oauth.provider.revokeGrants('otto')).toBeGreaterThan(0);

  // The next refresh is refused: the mailbox is forgotten and the dialog says what to do.
  const dialog = page.getByRole('dialog', { name: 'Sign in again' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Your sign-in with Example ID has ended');
  await expect(list).toBeHidden();
  await dialog.getByRole('button', { name: 'Sign in with Example ID again' }).click();
  await passProvider(page, oauth, 'otto');
  await expect(row(messageList(page), 'For otto: the minutes')).toBeVisible();
});

test('a token for another user is refused by the mail server', async ({ page, oauth }) => {
  // The mailbox typed is oskar's; the person signs in at the provider as olga.
  await signInWithProvider(page, oauth, 'olga', 'oskar');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Signing in failed');
  await expect(alert).toContainText('The mail server did not accept the sign-in from your provider');
  await expect(messageList(page)).toBeHidden();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
});
