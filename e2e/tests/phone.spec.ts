// Scenario 11: on a phone-sized screen, the list and a message are both reachable.
import { messageList, reader, row, screenshot, signIn } from '../support/app.js';
import { html, plain } from '../support/messages.js';
import { expect, test } from '../support/test.js';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

test('on a phone, the list and a message are both reachable', async ({ page, servers }, testInfo) => {
  const list = await signIn(page, { server: 'pop3s', user: servers.users.phone });
  await expect(row(list, plain.subject)).toBeInViewport();
  await screenshot(page, testInfo, 'phone-list');

  await row(list, plain.subject).tap();
  const message = reader(page);
  await expect(message.getByRole('heading', { name: plain.subject })).toBeInViewport();
  await expect(message.getByText(plain.text[0]!)).toBeInViewport();
  await expect(list).not.toBeInViewport();
  await screenshot(page, testInfo, 'phone-message');

  await message.getByRole('button', { name: 'Back to the list' }).tap();
  await expect(row(list, html.subject)).toBeInViewport();
  await row(list, html.subject).tap();
  await expect(
    message.getByTitle('Message content').contentFrame().getByRole('heading', { name: 'Club bulletin' }),
  ).toBeInViewport();
  // Nothing is wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await message.getByRole('button', { name: 'Back to the list' }).tap();
  await expect(messageList(page)).toBeInViewport();
});
