// Sessions that end (issue 18): the idle limit locks the tab, and a shared computer keeps nothing.
import { messageList, row, signIn, signOut, submitSignIn } from '../support/app.js';
import { expect, test } from '../support/test.js';

test('after 30 minutes without activity the tab locks and asks for the password again', async ({
  page,
  servers,
}) => {
  await page.clock.install();
  const user = servers.users.locker;
  const list = await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Behind the lock')).toBeVisible();

  await page.clock.fastForward('29:00');
  await expect(messageList(page)).toBeVisible();
  await page.clock.fastForward('01:01');
  const dialog = page.getByRole('dialog', { name: 'Locked' });
  await expect(dialog).toBeVisible();
  // The mailbox is gone from the page, not only covered.
  await expect(messageList(page)).toHaveCount(0);
  await expect(page.getByText('Behind the lock')).toHaveCount(0);

  await dialog.getByRole('textbox', { name: 'Password' }).fill('not the password');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Unlocking failed');

  await dialog.getByRole('textbox', { name: 'Password' }).fill(user.password);
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(row(messageList(page), 'Behind the lock')).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await signOut(page);
});

test('"This is a shared computer" leaves nothing in IndexedDB, Cache Storage, localStorage or sessionStorage', async ({
  page,
  servers,
}) => {
  const left = () =>
    page.evaluate(async () => ({
      indexedDB: (await indexedDB.databases()).map((database) => database.name),
      cacheStorage: await caches.keys(),
      localStorage: Object.keys(localStorage),
      sessionStorage: Object.keys(sessionStorage),
      serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
    }));
  await page.goto('/');
  // What an ordinary visit leaves: the mail store's database and the offline copy's caches.
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await expect.poll(async () => (await left()).cacheStorage.length).toBeGreaterThan(0);
  await expect.poll(async () => (await left()).indexedDB).toContain('webpop');

  await page.getByRole('checkbox', { name: 'This is a shared computer' }).check();
  await submitSignIn(page, { server: 'pop3s', user: servers.users.sharer });
  const list = messageList(page);
  await row(list, 'Read on a shared computer').click();
  await expect(page.getByRole('region', { name: 'Message' })).toContainText('Read on a shared computer');
  await signOut(page);

  await expect
    .poll(left)
    .toEqual({ indexedDB: [], cacheStorage: [], localStorage: [], sessionStorage: [], serviceWorkers: 0 });
  // Nor is the account offered as saved on this device.
  await expect(page.getByRole('button', { name: 'Open saved mail' })).toHaveCount(0);
});
