// Scenario 6: Refresh shows mail delivered meanwhile; a second sign-in asks TOP only for new UIDLs.
import { messageList, protocolLogLines, row, screenshot, signIn, signOut } from '../support/app.js';
import { simple } from '../support/messages.js';
import { expect, test } from '../support/test.js';

test('Refresh after a delivery into the maildir shows the new message', async ({
  page,
  servers,
}, testInfo) => {
  const user = servers.users.refresher;
  const list = await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Already here')).toBeVisible();
  await expect(list.getByRole('option')).toHaveCount(1);
  // POP3 snapshots the maildrop at login: the delivery shows only in a new session.
  await servers.dovecot.deliver(user.username, simple('Fresh delivery', 20));
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(row(list, 'Fresh delivery')).toBeVisible();
  await expect(row(list, 'Fresh delivery')).toContainText('new');
  await expect(row(list, 'Already here')).toBeVisible();
  await expect(list.getByRole('option')).toHaveCount(2);
  await expect(page.getByText('1 new message')).toBeVisible();
  await screenshot(page, testInfo, 'after-refresh');
});

test('a second sign-in fetches TOP only for the new UIDL', async ({ page, servers }) => {
  const user = servers.users.returning;
  const tops = (lines: readonly string[]) => lines.filter((line) => /^C: TOP /.test(line));
  await signIn(page, { server: 'pop3s', user });
  await page.getByRole('button', { name: 'Protocol log' }).click();
  // The first session needed both headers, newest first.
  expect(tops(await protocolLogLines(page))).toEqual(['C: TOP 2 0', 'C: TOP 1 0']);
  await signOut(page);
  await servers.dovecot.deliver(user.username, simple('Arrived in between', 21));
  const list = await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Arrived in between')).toBeVisible();
  await expect(row(list, 'Seen before one')).toBeVisible();
  await expect(row(list, 'Seen before two')).toBeVisible();

  // Sign out forgot the first session's log: what is there is the second's, which needed only the
  // delivered message's headers.
  const lines = await protocolLogLines(page);
  expect(lines.indexOf(`-- signing in as ${user.username}`)).toBe(0);
  expect(tops(lines)).toEqual(['C: TOP 3 0']);
  expect(lines).toContain('C: UIDL');
  await expect(messageList(page).getByRole('option')).toHaveCount(3);
});
