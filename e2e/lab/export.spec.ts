// Export from the web app: one message as .eml, byte-exact as the server sent it.
import { readFile } from 'node:fs/promises';
import { demoAccount } from '@webpop/testkit';
import { messageList, reader, row } from '../support/app.js';
import { expect, signIn, test } from '../support/lab-test.js';

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
