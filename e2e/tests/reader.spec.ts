// Scenario 3: reading a plain message, an HTML message, a message with attachments, and a cid: image.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { reader, row, screenshot, signIn } from '../support/app.js';
import { attachments, cidImage, html, plain } from '../support/messages.js';
import { expect, test } from '../support/test.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('opens a plain text message', async ({ page, servers }, testInfo) => {
  const list = await signIn(page, { server: 'pop3s', user: servers.users.reader });
  await row(list, plain.subject).click();
  const message = reader(page);
  await expect(message.getByRole('heading', { name: plain.subject })).toBeVisible();
  await expect(message).toContainText('Ada Lovelace <ada@example.test>');
  for (const line of plain.text) await expect(message).toContainText(line);
  // Opening marks it read.
  await expect(row(list, plain.subject)).not.toHaveAccessibleName(/unread/);
  await screenshot(page, testInfo, 'reader-plain');
});

test('opens an HTML message in its sandboxed frame', async ({ page, servers }, testInfo) => {
  const list = await signIn(page, { server: 'pop3s', user: servers.users.reader });
  await row(list, html.subject).click();
  const message = reader(page);
  await expect(message.getByRole('heading', { name: html.subject })).toBeVisible();
  const body = message.getByTitle('Message content').contentFrame();
  await expect(body.getByRole('heading', { name: 'Club bulletin' })).toBeVisible();
  await expect(body.getByRole('paragraph')).toHaveText('Tulips bloom in April.');
  await screenshot(page, testInfo, 'reader-html');
});

test('each attachment downloads byte-identical to the original part', async ({ page, servers }, testInfo) => {
  const list = await signIn(page, { server: 'pop3s', user: servers.users.reader });
  await row(list, attachments.subject).click();
  const message = reader(page);
  await expect(message).toContainText(attachments.text);
  for (const file of attachments.files) {
    const downloading = page.waitForEvent('download');
    await message.getByRole('button', { name: `Download ${file.name}` }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(file.name);
    const bytes = await readFile(await download.path());
    expect(bytes.length).toBe(file.bytes.length);
    expect(sha256(bytes)).toBe(sha256(file.bytes));
  }
  await screenshot(page, testInfo, 'reader-attachments');
});

test('a cid: image shows inline', async ({ page, servers }) => {
  const list = await signIn(page, { server: 'pop3s', user: servers.users.reader });
  await row(list, cidImage.subject).click();
  const body = reader(page).getByTitle('Message content').contentFrame();
  await expect(body.getByRole('heading', { name: 'Our new logo' })).toBeVisible();
  const logo = body.getByRole('img', { name: 'the logo' });
  await expect(logo).toBeVisible();
  // Decoded from the message's own image part (no request anywhere): a 1×1 PNG.
  await expect(logo).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect.poll(() => logo.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);
  // The remote-image warning is not shown for an inline image.
  await expect(reader(page).getByRole('button', { name: 'Show images' })).toHaveCount(0);
});
