// Export and import in the web app: one message as .eml; the corpus through import, mbox and zip export,
// and import again, byte-exact (the mbox read back with @webpop/mailfile, the module the CLI uses).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { splitMbox } from '@webpop/mailfile';
import { corpusMessages, demoAccount } from '@webpop/testkit';
import { unzipSync } from 'fflate';
import { messageList, reader, row } from '../support/app.js';
import { expect, signIn, test } from '../support/lab-test.js';
import { exportAs, importMessages, withoutSavePicker } from '../support/transfer.js';

test('"Save as .eml" downloads the message exactly as the server sent it', async ({ page, lab }) => {
  const account = await demoAccount();
  const demo = await lab([{ id: 'demo', label: 'Demo mailbox', accounts: [account] }]);
  await signIn(page, demo, { server: 'demo', username: 'demo', password: 'demo' });
  await row(messageList(page), 'Welcome to webpop').click();
  await expect(reader(page).getByRole('heading', { name: 'Welcome to webpop' })).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    reader(page).getByRole('button', { name: 'Save as .eml' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('Welcome to webpop.eml');
  const saved = new Uint8Array(await readFile(await download.path()));
  expect(Buffer.from(saved).equals(Buffer.from(account.messages.at(-1)!))).toBe(true);
});

/** The same messages, whatever their order: SHA-256 of each, sorted. */
function digests(messages: readonly Uint8Array[]): string[] {
  return messages.map((bytes) => createHash('sha256').update(bytes).digest('hex')).sort();
}

const corpus = await corpusMessages();

test('corpus → import → export as mbox and zip → import → export: every message byte-exact', async ({
  page,
  lab,
  browser,
}) => {
  const demo = await lab([
    { id: 'demo', label: 'Demo mailbox', accounts: [{ ...(await demoAccount()), messages: [] }] },
  ]);
  // The download path (no File System Access API); the file path is the next test's.
  await withoutSavePicker(page);
  await signIn(page, demo, { server: 'demo', username: 'demo', password: 'demo' });
  await expect(messageList(page)).toHaveAttribute('aria-busy', 'false');

  await importMessages(
    page,
    corpus.map(({ name, bytes }) => ({ name, mimeType: 'message/rfc822', bytes })),
    corpus.length,
  );
  await expect(page.getByRole('status', { name: 'Export and import' })).toContainText(
    `Imported ${corpus.length} messages into Inbox on this device.`,
  );

  const mbox = await exportAs(page, 'mbox (one file, for mail programs)', corpus.length);
  expect(mbox.name).toBe('demo Inbox.mbox');
  // The CLI's mbox reader is the same module: what it reads is what was imported, byte for byte.
  expect(digests(splitMbox(mbox.bytes).map((message) => message.bytes))).toEqual(
    digests(corpus.map((m) => m.bytes)),
  );

  const zip = await exportAs(page, 'Zip of .eml files', corpus.length);
  expect(zip.name).toBe('demo Inbox.zip');
  expect(digests(Object.values(unzipSync(zip.bytes)))).toEqual(digests(corpus.map((m) => m.bytes)));

  // A second browser (its own, empty store) imports the mbox and exports it again: the same file.
  const other = await browser.newContext();
  const second = await other.newPage();
  await withoutSavePicker(second);
  await signIn(second, demo, { server: 'demo', username: 'demo', password: 'demo' });
  await importMessages(
    second,
    [{ name: 'demo.mbox', mimeType: 'application/mbox', bytes: mbox.bytes }],
    corpus.length,
  );
  const again = await exportAs(second, 'mbox (one file, for mail programs)', corpus.length);
  // The same file: every message and its From line, in the same order.
  expect(Buffer.from(again.bytes).equals(Buffer.from(mbox.bytes))).toBe(true);
  await other.close();
});

test('with the File System Access API the export is written into the chosen file as it is made', async ({
  page,
  lab,
}) => {
  const demo = await lab([
    { id: 'demo', label: 'Demo mailbox', accounts: [{ ...(await demoAccount()), messages: [] }] },
  ]);
  // Only the picker is replaced (a test cannot click the native dialog): it hands out a real file handle,
  // in the origin-private file system, whose writable stream is the browser's own.
  await page.addInitScript(() => {
    (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async (options: {
      suggestedName: string;
    }) => (await navigator.storage.getDirectory()).getFileHandle(options.suggestedName, { create: true });
  });
  await signIn(page, demo, { server: 'demo', username: 'demo', password: 'demo' });
  await page
    .getByLabel('Import files')
    .setInputFiles(
      corpus.map(({ name, bytes }) => ({ name, mimeType: 'message/rfc822', buffer: Buffer.from(bytes) })),
    );
  await expect(page.getByRole('status', { name: 'Export and import' })).toContainText(
    `Imported ${corpus.length}`,
  );

  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('dialog', { name: 'Export mail' }).getByRole('button', { name: 'Save file' }).click();
  await expect(page.getByRole('status', { name: 'Export and import' })).toContainText(
    `Exported ${corpus.length}`,
  );
  // As base64: a 3 MB array of numbers takes Playwright a minute to carry out of the page.
  const written = await page.evaluate(async () => {
    const file = await (
      await (await navigator.storage.getDirectory()).getFileHandle('demo Inbox.mbox')
    ).getFile();
    const bytes = new Uint8Array(await file.arrayBuffer());
    let text = '';
    for (let at = 0; at < bytes.length; at += 0x8000)
      text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
    return btoa(text);
  });
  const messages = splitMbox(new Uint8Array(Buffer.from(written, 'base64'))).map((message) => message.bytes);
  expect(digests(messages)).toEqual(digests(corpus.map((m) => m.bytes)));
});
