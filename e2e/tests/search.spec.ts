// Issue 16: full-text search over the mail kept on this device, against real Dovecot in Chromium.
import { reader, row, screenshot, signIn } from '../support/app.js';
import { german } from '../support/messages.js';
import { germanKeepLabels, keepEverything, searchBox, searchResults } from '../support/search.js';
import { expect, test } from '../support/test.js';

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

  const search = searchBox(page);
  const results = searchResults(page);

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

test.describe('in the German interface', () => {
  test.use({ locale: 'de-DE' });

  test('marks the hits in the list and in the opened message, with field operators and without diacritics', async ({
    page,
    servers,
  }, testInfo) => {
    const list = await signIn(page, { server: 'pop3s', user: servers.users.sucher });
    await keepEverything(page, germanKeepLabels);
    const search = searchBox(page);
    const results = searchResults(page);

    // Typed without its umlaut: found in two subjects and bodies, marked as written.
    await search.fill('munchen');
    await expect(results).toContainText('2 Nachrichten gefunden');
    await expect(list.getByRole('option')).toHaveCount(2);
    const trip = row(list, german.trip.subject);
    await expect(trip.locator('.subject mark')).toHaveText(['München']);
    await expect(trip.locator('.snippet mark')).toHaveText(['München']);
    await trip.click();
    await expect(reader(page).locator('.plain-text mark')).toHaveText(['München']);
    await expect(reader(page).locator('mark').first()).toBeVisible();
    await screenshot(page, testInfo, 'search results de-DE: munchen');

    // A sender's name by its operator, and a prefix of a word: only those fields are marked.
    await search.fill('from:jurgen rechn');
    await expect(results).toContainText('1 Nachricht gefunden');
    await expect(list.getByRole('option')).toHaveCount(1);
    const invoice = row(list, german.invoice.subject);
    await expect(invoice.locator('.sender mark')).toHaveText(['Jürgen']);
    await expect(invoice.locator('.subject mark')).toHaveText(['Rechnung']);
    await invoice.click();
    await expect(reader(page).locator('.plain-text mark')).toHaveText(['Rechnung']);
    await screenshot(page, testInfo, 'search results de-DE: from:jurgen rechn');

    // An operator the list filters on: the attachment, named with its umlaut, in German.
    await search.fill('has:attachment ubersicht');
    await expect(results).toContainText('1 Nachricht gefunden');
    await expect(row(list, 'Measurements attached')).toBeVisible();
  });
});
