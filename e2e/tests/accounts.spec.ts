// Issue 18: two accounts signed in together in one tab (two of the bridge's servers, two users of one
// Dovecot), All inboxes merging them, switching, and a delete in All inboxes reaching the right maildir.
import { messageList, reader, row, screenshot, signIn } from '../support/app.js';
import { chooseSettings, deviceStatus, maildirSubjects, persistence } from '../support/keeping.js';
import { expect, test } from '../support/test.js';

test('two accounts in one tab: All inboxes merges them, and a delete there reaches that account’s maildir', async ({
  page,
  servers,
}, testInfo) => {
  const { dovecot, users } = servers;
  await persistence(page, true);
  await signIn(page, { server: 'pop3s', user: users.first });
  await chooseSettings(page, { serverCopy: 'Remove from the server when I delete it here' });
  await expect(deviceStatus(page)).toContainText('2 of 2 saved on this device');

  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  await accounts.getByRole('button', { name: 'Add account' }).click();
  await signIn(page, { server: 'stls', user: users.second });
  await expect(accounts.getByRole('link')).toHaveText([
    'All inboxes',
    'first on Dovecot (TLS)',
    'second on Dovecot (STLS)',
  ]);

  await accounts.getByRole('link', { name: 'All inboxes' }).click();
  const list = messageList(page);
  await expect(list.getByRole('option')).toHaveCount(4);
  // Newest first across both accounts, each row naming its account.
  const labels = await list
    .getByRole('option')
    .evaluateAll((rows) => rows.map((one) => one.getAttribute('aria-label')));
  expect(labels).toEqual([
    'second on Dovecot (STLS): Sender — Second account two',
    'first on Dovecot (TLS): Sender — First account two',
    'second on Dovecot (STLS): Sender — Second account one',
    'first on Dovecot (TLS): Sender — First account one',
  ]);
  await screenshot(page, testInfo, 'all inboxes');

  // Opened and deleted in All inboxes: the first account's RETR, Trash and policy.
  await row(list, 'First account two').click();
  await expect(reader(page)).toContainText('Body of First account two.');
  await reader(page).getByRole('button', { name: 'Delete' }).click();
  await expect(row(list, 'First account two')).toHaveCount(0);
  await expect(list.getByRole('option')).toHaveCount(3);

  // Switching shows each account's own mailbox; the deletion waits for the first one's QUIT.
  await accounts.getByRole('link', { name: 'second on Dovecot (STLS)' }).click();
  await expect(messageList(page).getByRole('option')).toHaveCount(2);
  await accounts.getByRole('link', { name: 'first on Dovecot (TLS)' }).click();
  await expect(messageList(page).getByRole('option')).toHaveCount(1);
  await expect(deviceStatus(page)).toContainText('removed when the session ends');
  expect(await dovecot.maildirFiles(users.first.username)).toHaveLength(2);

  await accounts.getByRole('button', { name: 'Sign out of all accounts' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect
    .poll(async () => maildirSubjects(await dovecot.maildirFiles(users.first.username)))
    .toEqual(['First account one']);
  expect(await maildirSubjects(await dovecot.maildirFiles(users.second.username))).toEqual([
    'Second account one',
    'Second account two',
  ]);
});
