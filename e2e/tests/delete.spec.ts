// Scenario 5: a deletion reaches the server when the session ends with QUIT, and only then.
import type { Page } from '@playwright/test';
import { row, screenshot, signIn, signOut } from '../support/app.js';
import { killSession, sessionProcesses } from '../support/dovecot.js';
import type { User } from '../support/servers.js';
import { expect, test } from '../support/test.js';

async function markForDeletion(page: Page, user: User, subject: string) {
  const list = await signIn(page, { server: 'pop3s', user });
  await row(list, subject).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(row(list, subject)).toHaveAccessibleName(/marked for deletion/);
  await expect(page.getByRole('status').filter({ hasText: '1 message marked for deletion.' })).toContainText(
    'The server deletes marked messages only when the session ends',
  );
  return list;
}

test('Delete, sign out, sign in: the message is gone from the server', async ({
  page,
  servers,
}, testInfo) => {
  const { dovecot, users } = servers;
  const user = users.deleter;
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
  await markForDeletion(page, user, 'Delete me for good');
  await screenshot(page, testInfo, 'marked-for-deletion');
  // DELE only marks: the file is still there until the session ends.
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
  await signOut(page);
  await expect.poll(() => dovecot.maildirFiles(user.username)).toHaveLength(1);

  const list = await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Keep me one')).toBeVisible();
  await expect(row(list, 'Delete me for good')).toHaveCount(0);
});

test('Delete, Undo, sign out, sign in: the message is still there', async ({ page, servers }) => {
  const { dovecot, users } = servers;
  const user = users.undoer;
  const list = await markForDeletion(page, user, 'Undo my deletion');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(row(list, 'Undo my deletion')).not.toHaveAccessibleName(/marked for deletion/);
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  await signOut(page);
  // The session has ended (its pop3 process is gone), and both files are still there.
  await expect.poll(() => sessionProcesses(dovecot, user.username)).toEqual([]);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);

  await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Keep me two')).toBeVisible();
  await expect(row(list, 'Undo my deletion')).toBeVisible();
});

test('Delete, then the connection drops before QUIT: the message stays, and the page says so', async ({
  page,
  servers,
}, testInfo) => {
  const { dovecot, users } = servers;
  const user = users.dropper;
  const list = await markForDeletion(page, user, 'Deleted, then dropped');
  // The server's process for this session dies: the connection ends without QUIT.
  expect(killSession(dovecot, user.username)).toBe(1);

  const banner = page.getByRole('alert');
  await expect(banner).toContainText('The connection to the server was lost.');
  await expect(banner).toContainText('1 message marked for deletion was not deleted');
  await screenshot(page, testInfo, 'dropped-before-quit');
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);

  // The row is no longer shown as marked: the server has forgotten the mark.
  await expect(row(list, 'Deleted, then dropped')).not.toHaveAccessibleName(/marked for deletion/);

  await signOut(page);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
  const again = await signIn(page, { server: 'pop3s', user });
  await expect(row(again, 'Keep me three')).toBeVisible();
  await expect(row(again, 'Deleted, then dropped')).toBeVisible();
  await expect(again.getByRole('option')).toHaveCount(2);
});
