// Issue 16: full-text search over the mail kept on this device, against real Dovecot in Chromium.
import type { Page } from '@playwright/test';
import { row, signIn } from '../support/app.js';
import { expect, test } from '../support/test.js';

/** "Keep on this device: Everything", so every message's body and attachments are indexed. */
async function keepEverything(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account settings' });
  await dialog
    .getByRole('radiogroup', { name: 'Keep on this device' })
    .getByRole('radio', { name: 'Everything' })
    .check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
}

test('searches bodies, HTML, attachments and senders of the kept mail, highlighting the hits', async ({
  page,
  servers,
}) => {
  const list = await signIn(page, { server: 'pop3s', user: servers.users.searcher });
  await keepEverything(page);
  await expect(page.getByRole('status').filter({ hasText: 'saved on this device' })).toContainText(
    '4 of 4 saved on this device',
  );
  // The list's snippet line and attachment mark come from the index.
  await expect(row(list, 'Measurements attached')).toContainText('The measurements are attached.');
  await expect(row(list, 'Measurements attached')).toHaveAccessibleName(/has attachments/);
  await expect(row(list, 'Plain notes for the engine')).not.toHaveAccessibleName(/has attachments/);

  const search = page.getByRole('searchbox', { name: 'Search mail' });
  const results = page.getByRole('status', { name: 'Search results' });

  // A word only in a plain body (the index catches up with the download by itself).
  await search.fill('analytical');
  await expect(results).toContainText('1 message found');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(row(list, 'Plain notes for the engine')).toBeVisible();
  // Opened, the hit is marked in the message too.
  const reader = page.getByRole('region', { name: 'Message' });
  await row(list, 'Plain notes for the engine').click();
  await expect(reader.locator('.plain-text mark')).toHaveText(['analytical']);

  // A word only in an HTML body, typed as a prefix; marked inside the sanitized frame.
  await search.fill('tulip');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(row(list, 'HTML bulletin of the club')).toBeVisible();
  await row(list, 'HTML bulletin of the club').click();
  await expect(reader.frameLocator('iframe.html-body').locator('mark')).toHaveText(['Tulips']);

  await search.fill('has:attachment');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(row(list, 'Measurements attached')).toBeVisible();

  // An attachment's name, without its diacritics.
  await search.fill('ubersicht');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(row(list, 'Measurements attached')).toBeVisible();

  await search.fill('from:sender');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(row(list, 'Search neighbour')).toBeVisible();

  await search.fill('engine');
  // In the subject and in the snippet line.
  await expect(row(list, 'Plain notes for the engine').locator('mark')).toHaveText(['engine', 'engine']);
  // A field's operator marks that field only: not the same word in the snippet.
  await search.fill('subject:engine');
  await expect(row(list, 'Plain notes for the engine').locator('.subject mark')).toHaveText(['engine']);
  await expect(row(list, 'Plain notes for the engine').locator('.snippet mark')).toHaveCount(0);
  await search.fill('from:ada engine');
  await expect(row(list, 'Plain notes for the engine').locator('.sender mark')).toHaveText(['Ada']);
  await expect(row(list, 'Plain notes for the engine').locator('.snippet mark')).toHaveText(['engine']);

  await search.fill('zebra-nowhere');
  await expect(results).toContainText('No message found.');
  await expect(list.getByRole('option')).toHaveCount(0);

  // Esc ends the search: the folder again.
  await search.press('Escape');
  await expect(list.getByRole('option')).toHaveCount(4);

  // '/' goes to the search box.
  await list.focus();
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
});
