// Scenario 2: every corpus message in the list with its subject decoded and the right sender, date and
// size; sorting and the filter box.
import { corpusMessages, toCrlf } from '@webpop/testkit';
import { escapeRegExp, messageList, row, screenshot, signIn } from '../support/app.js';
import { corpusRows } from '../support/corpus.js';
import { encoded, plain, type RowExpectation } from '../support/messages.js';
import { expect, test } from '../support/test.js';

/** The list's size column: bytes, KB or MB (of 1,024), one decimal below 10. */
function listSize(bytes: number): string {
  const units = ['B', 'KB', 'MB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits })}\u00a0${units[unit]}`;
}

/** A row's accessible name: sender, date, subject, size (then ", unread" and other marks). */
function rowName({ sender, date, subject }: RowExpectation, size: number): RegExp {
  const parts = [sender, date, subject, listSize(size)].filter(Boolean).map(escapeRegExp);
  return new RegExp(`^${parts.join('\\s*').replace('\u00a0', '\\s')}\\s*(,|$)`);
}

test.describe('with every row on screen', () => {
  // Tall enough that the virtualized list renders all of the reader's ~35 rows.
  test.use({ viewport: { width: 1280, height: 3200 } });

  test('shows every corpus message with decoded subject, sender, date and size', async ({
    page,
    servers,
  }, testInfo) => {
    const list = await signIn(page, { server: 'pop3s', user: servers.users.reader });
    const corpus = await corpusMessages();
    // Every corpus file has its expectation, so a file added to the corpus is checked too.
    expect(corpus.map(({ name }) => name).sort()).toEqual(Object.keys(corpusRows).sort());
    const names = corpus.map(({ name, bytes }) => rowName(corpusRows[name]!, toCrlf(bytes).length));
    for (const [index, name] of names.entries()) {
      // The two nodemailer samples differ only by a few bytes: the same row twice.
      const twins = names.filter((other) => other.source === name.source).length;
      await expect(list.getByRole('option', { name }), corpus[index]!.name).toHaveCount(twins);
    }
    for (const message of [plain, ...encoded]) {
      await expect(list.getByRole('option', { name: rowName(message, message.bytes.length) })).toHaveCount(1);
    }
    await screenshot(page, testInfo, 'message-list');
  });
});

test('sorts by subject, sender, size and date, both ways', async ({ page, servers }) => {
  const list = await signIn(page, { server: 'pop3s', user: servers.users.reader });
  const options = list.getByRole('option');
  const order = page.getByRole('button', { name: /^(Ascending|Descending)$/ });
  // Newest first by default.
  await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('date');
  await expect(order).toHaveAccessibleName('Descending');
  await expect(options.first()).toContainText('Welcome to webpop'); // Nov 17, 2025: the newest

  // The three encoded-word subjects sort by their decoded text.
  await page.getByRole('searchbox', { name: 'Filter' }).fill('Encoder');
  await expect(options).toHaveCount(3);
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('subject');
  await order.click();
  await expect(order).toHaveAccessibleName('Ascending');
  await expect(options.nth(0)).toContainText('Grüße aus Köln');
  await expect(options.nth(1)).toContainText('Preis 42 € netto');
  await expect(options.nth(2)).toContainText('Привет из Новосибирска');
  await order.click();
  await expect(order).toHaveAccessibleName('Descending');
  await expect(options.nth(0)).toContainText('Привет из Новосибирска');
  await expect(options.nth(2)).toContainText('Grüße aus Köln');

  await page.getByRole('searchbox', { name: 'Filter' }).fill('');
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('size');
  // The largest corpus message is mailparser-large_text.eml (about 1.1 MB).
  await expect(options.first()).toContainText('[Bug 381598]');
  await order.click();
  // The smallest are two of the encoded-word messages, 203 bytes each.
  await expect(options.first()).toContainText(/^Encoder.*203\sB/);

  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('sender');
  await expect(order).toHaveAccessibleName('Ascending');
  // "(unknown sender)" has no name and sorts first; then "abusedesk@example.com", "Ada Lovelace".
  await expect(options.nth(1)).toContainText('abusedesk@example.com');
  await expect(options.nth(2)).toContainText('Ada Lovelace');
});

test('the filter box narrows the list by sender or subject', async ({ page, servers }) => {
  const list = await signIn(page, { server: 'pop3s', user: servers.users.reader });
  const filter = page.getByRole('searchbox', { name: 'Filter' });
  await expect(page.getByText(/^\d+ messages$/)).toBeVisible();
  const total = Number((await page.getByText(/^\d+ messages$/).textContent())?.split(' ')[0]);

  await filter.fill('lovelace'); // the sender's name, any case
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(row(list, plain.subject)).toBeVisible();
  await expect(page.getByText(`1 of ${total} shown`)).toBeVisible();

  await filter.fill('новосибирска'); // a decoded KOI8-R subject
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(row(list, 'Привет из Новосибирска')).toBeVisible();

  await filter.fill('no such message anywhere');
  await expect(list.getByRole('option')).toHaveCount(0);
  await expect(messageList(page)).toContainText('No message matches the filter.');

  await filter.fill('');
  await expect(page.getByText(`${total} messages`)).toBeVisible();
});
