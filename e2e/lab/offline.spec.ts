// The installable shell: a service worker precaches the built app, so it starts with the bridge stopped.
import { demoAccount } from '@webpop/testkit';
import { messageList, row } from '../support/app.js';
import { expect, signIn, test } from '../support/lab-test.js';

test('the app is installable and starts with the bridge stopped', async ({ page, lab }) => {
  const demo = await lab([{ id: 'demo', label: 'Demo mailbox', accounts: [await demoAccount()] }]);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(demo.url);
  await expect(page.getByRole('combobox', { name: 'Server' })).toHaveValue('demo');
  // `ready` resolves once the worker is active, that is after its install step precached the shell.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(`${demo.url}/`);

  // Chromium's own installability check: manifest, icons, a service worker controlling the scope.
  const cdp = await page.context().newCDPSession(page);
  const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; data?: string };
  expect(manifest.errors).toEqual([]);
  expect(JSON.parse(manifest.data ?? '{}')).toMatchObject({ name: 'webpop', display: 'standalone' });

  await demo.stopBridge();
  expect(await page.request.get(demo.url).catch(() => 'unreachable')).toBe('unreachable');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('The list of servers could not be loaded');
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // Everything precached (the lazy mailbox and reader chunks, the MIME worker, German, Russian) is
  // answered by the worker while nothing listens on the bridge's port.
  const answered = await page.evaluate(async () => {
    const name = (await caches.keys()).find((key) => key.includes('precache'));
    const urls = (await (await caches.open(name ?? '')).keys()).map((request) => {
      const url = new URL(request.url);
      url.search = '';
      return url.href;
    });
    const answers = await Promise.all(urls.map(async (url) => (await fetch(url)).ok));
    return { urls: urls.length, ok: answers.filter(Boolean).length };
  });
  expect(answered.urls).toBeGreaterThan(20);
  expect(answered.ok).toBe(answered.urls);
  expect(errors).toEqual([]);
});

test('"Open saved mail" lists a remembered account and opens it read-only with the bridge stopped', async ({
  page,
  lab,
}) => {
  const demo = await lab([{ id: 'demo', label: 'Demo mailbox', accounts: [await demoAccount()] }]);
  await signIn(page, demo, { server: 'demo', username: 'demo', password: 'demo' });
  const list = messageList(page);
  await expect(list).toHaveAttribute('aria-busy', 'false');
  await expect(row(list, 'Welcome to webpop')).toBeVisible();
  // One message to the local Archive: offline it is read there, not in the Inbox.
  await row(list, 'Привет из Москвы').click();
  await page.getByRole('button', { name: 'Archive' }).click();
  await expect(row(list, 'Привет из Москвы')).toHaveCount(0);
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await demo.stopBridge();
  await page.reload();
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  const saved = page.getByRole('listitem', { name: 'demo on Demo mailbox' });
  await saved.getByRole('button', { name: 'Open saved mail' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'read-only' })).toContainText(
    'The webpop bridge cannot be reached: this is the mail saved on this device, read-only.',
  );
  await expect(row(list, 'Welcome to webpop')).toBeVisible();
  await expect(row(list, 'Привет из Москвы')).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'Archive' }).click();
  await expect(row(list, 'Привет из Москвы')).toBeVisible();
  // Read-only: nothing moves offline.
  await expect(page.getByRole('button', { name: 'Restore' })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'Inbox' }).click();
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Delete' })).toBeDisabled();
  expect(sockets).toEqual([]);

  // Back to the sign-in page, which offers the account again.
  await page.getByRole('status').getByRole('button', { name: 'Sign in' }).click();
  await expect(saved.getByRole('button', { name: 'Open saved mail' })).toBeVisible();
});
