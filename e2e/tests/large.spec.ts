// Scenarios 7 and 8: a 1,000-message mailbox, and a 5 MB message.
import { decodeHeaderFields } from '@webpop/pop3';
import {
  messageList,
  reader,
  row,
  screenshot,
  signIn,
  submitSignIn,
  throttleBridge,
} from '../support/app.js';
import { big, thousand } from '../support/messages.js';
import { expect, test } from '../support/test.js';

const subjectOf = (message: Uint8Array) => decodeHeaderFields(message).get('subject')?.[0] ?? '';

test('a 1,000-message mailbox: rows appear before the list is complete, and it scrolls to the end', async ({
  page,
  servers,
}, testInfo) => {
  // Watches the page as it renders: how many rows with headers were shown while the list was still busy.
  await page.addInitScript(() => {
    const seen = { rowsWhileBusy: 0 };
    (window as unknown as { listing: typeof seen }).listing = seen;
    new MutationObserver(() => {
      const list = document.querySelector('[role="listbox"][aria-label="Messages"]');
      if (list?.getAttribute('aria-busy') !== 'true') return;
      const loaded = [...list.querySelectorAll('[role="option"]')].filter(
        (option) => !option.textContent?.includes('Loading…'),
      );
      seen.rowsWhileBusy = Math.max(seen.rowsWhileBusy, loaded.length);
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await throttleBridge(page, 200_000);
  const list = await signIn(page, { server: 'pop3s', user: servers.users.thousand });
  await expect(page.getByText('1,000 messages')).toBeVisible();
  const whileBusy = await page.evaluate(
    () => (window as unknown as { listing: { rowsWhileBusy: number } }).listing,
  );
  expect(whileBusy.rowsWhileBusy).toBeGreaterThan(0);

  // Newest first: the newest generated message on top, the oldest (the first generated) at the end.
  const messages = thousand();
  await expect(list.getByRole('option').first()).toContainText(subjectOf(messages.at(-1)!));
  const oldest = row(list, subjectOf(messages[0]!));
  await expect(oldest).toHaveCount(0); // not rendered yet: the list is virtualized
  await list.hover();
  for (let step = 0; step < 200 && (await oldest.count()) === 0; step++) await page.mouse.wheel(0, 4000);
  await expect(oldest).toBeVisible();
  await expect(list.getByRole('option').last()).toContainText(subjectOf(messages[0]!));
  await screenshot(page, testInfo, 'thousand-end-of-list');
  await oldest.click();
  await expect(reader(page).getByRole('heading', { name: subjectOf(messages[0]!) })).toBeVisible();
});

test('a 5 MB message shows its download progress; cancelling leaves the session usable', async ({
  page,
  servers,
}, testInfo) => {
  await throttleBridge(page, 1_000_000);
  await page.goto('/');
  await submitSignIn(page, { server: 'pop3s', user: servers.users.big });
  const list = messageList(page);
  const subject = subjectOf(big());
  await expect(row(list, subject)).toContainText('5 MB');

  await row(list, subject).click();
  const message = reader(page);
  const progress = message.getByRole('progressbar', { name: 'Download progress' });
  await expect(progress).toBeVisible();
  await expect(message.getByRole('status')).toContainText(
    /Downloading the message: [\d.]+\s(KB|MB) of 5\sMB/,
  );
  await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThan(0);
  await screenshot(page, testInfo, 'big-message-progress');
  await message.getByRole('button', { name: 'Cancel' }).click();
  await expect(message).toContainText('The download was cancelled.');

  // The same session goes on: another message opens, and the big one can be fetched whole after all.
  await row(list, 'Small neighbour').click();
  await expect(message.getByRole('heading', { name: 'Small neighbour' })).toBeVisible();
  await expect(message).toContainText('Body of Small neighbour.');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await row(list, subject).click();
  await expect(message.getByRole('heading', { name: subject })).toBeVisible({ timeout: 30_000 });
  await expect(progress).toHaveCount(0);
});
