import { demoAccount } from '@webpop/testkit';
import { expect, signIn, test } from '../support/lab-test.js';

test('signs in to the demo mailbox and opens messages', async ({ page, lab }) => {
  const demo = await lab([{ id: 'demo', label: 'Demo mailbox', accounts: [await demoAccount()] }]);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await signIn(page, demo, { server: 'demo', username: 'demo', password: 'demo' });

  const list = page.getByRole('listbox', { name: 'Messages' });
  await expect(list.getByRole('option', { name: /Welcome to webpop/ })).toBeVisible();
  await expect(list.getByRole('option', { name: /Привет из Москвы/ })).toBeVisible();
  await expect(list.getByRole('option', { name: /Rechnung über 42,00 €/ })).toBeVisible();

  await list.getByRole('option', { name: /Welcome to webpop/ }).click();
  const reader = page.getByRole('region', { name: 'Message' });
  await expect(reader.getByRole('heading', { name: 'Welcome to webpop' })).toBeVisible();
  await expect(reader).toContainText('reads POP3 mailboxes right in your browser');

  // HTML in a sandboxed frame, the tracking pixel and remote image not loaded, cid: image inline.
  await list.getByRole('option', { name: /Garden Weekly/ }).click();
  const frame = reader.locator('iframe.html-body');
  await expect(frame).toHaveAttribute('sandbox', 'allow-popups allow-popups-to-escape-sandbox');
  await expect(reader.getByRole('button', { name: 'Show images' })).toBeVisible();
  await expect(
    page.frameLocator('iframe.html-body').getByRole('heading', { name: /Garden Weekly/ }),
  ).toBeVisible();
  expect(await frame.getAttribute('srcdoc')).toContain('data:image/');

  // Attachments download byte-exact under their own names.
  await list.getByRole('option', { name: /Report and invoice attached/ }).click();
  const button = reader.getByRole('button', { name: /^Download Prüfbericht/ });
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toMatch(/^Prüfbericht.*\.txt$/);

  await page.getByRole('button', { name: 'Protocol log' }).click();
  await expect(page.getByRole('region', { name: 'Protocol log' })).toContainText('RETR');

  expect(requests.filter((url) => url.includes('example.invalid'))).toEqual([]);
  expect(errors).toEqual([]);
});
