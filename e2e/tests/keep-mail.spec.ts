// Issue 15: the mail kept on this device and what happens to the server's copy, checked in the maildir.
import { row, signIn, signOut } from '../support/app.js';
import { chooseSettings, deviceStatus, maildirSubjects, persistence } from '../support/keeping.js';
import { killSession } from '../support/dovecot.js';
import * as messages from '../support/messages.js';
import { expect, test } from '../support/test.js';

test('"Remove from the server once saved here": held while storage may be evicted, then removed at QUIT, still readable here', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.keeper;
  await persistence(page, false);
  await signIn(page, { server: 'pop3s', user });
  await expect(deviceStatus(page)).toContainText('Headers only');

  await chooseSettings(page, { serverCopy: 'Remove from the server once saved here' });
  await expect(deviceStatus(page)).toContainText('2 of 2 saved on this device');
  await expect(deviceStatus(page)).toContainText('2 server copies are kept');
  await signOut(page);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);

  const list = await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server once saved here', acknowledge: true });
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  // DELE only marks: the files stay until QUIT.
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
  await signOut(page);
  await expect.poll(() => dovecot.maildirFiles(user.username)).toHaveLength(0);

  await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Keep here one')).toContainText('Kept only on this device');
  await row(list, 'Keep here two').click();
  await expect(page.getByRole('region', { name: 'Message' })).toContainText('Body of Keep here two.');

  // Local folders: Archive moves it out of the Inbox; Restore brings it back.
  await page.getByRole('button', { name: 'Archive' }).click();
  await expect(row(list, 'Keep here two')).toHaveCount(0);
  const folders = page.getByRole('navigation', { name: 'Folders' });
  await folders.getByRole('link', { name: 'Archive' }).click();
  await row(list, 'Keep here two').click();
  await page.getByRole('button', { name: 'Restore' }).click();
  await expect(row(list, 'Keep here two')).toHaveCount(0);
  await folders.getByRole('link', { name: 'Inbox' }).click();
  await expect(row(list, 'Keep here two')).toBeVisible();
});

test('the connection cut between DELE and QUIT removes nothing; the next session removes them', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.cutter;
  await persistence(page, true);
  await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server once saved here' });
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  expect(killSession(dovecot, user.username)).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);

  await page.getByRole('button', { name: 'Reconnect' }).click();
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  await signOut(page);
  await expect.poll(() => dovecot.maildirFiles(user.username)).toHaveLength(0);
});

test('quota exceeded: downloading stops with a clear message and nothing is deleted', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.filler;
  await persistence(page, true);
  await page.addInitScript(() => {
    Object.defineProperty(StorageManager.prototype, 'estimate', {
      value: async () => ({ usage: 10_000_000_000, quota: 10_000_000_000 }),
    });
  });
  await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server once saved here' });
  await expect(deviceStatus(page)).toContainText('0 of 2 saved on this device');
  await expect(deviceStatus(page)).toContainText('storage for this site is full');
  await signOut(page);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
});

test('"Remove from the server when I delete it here": Delete moves to Trash and marks the proven copy; QUIT removes it, Trash keeps it', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.trasher;
  await persistence(page, true);
  const list = await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server when I delete it here' });
  await expect(deviceStatus(page)).toContainText('2 of 2 saved on this device');
  await row(list, 'Trash me').click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(row(list, 'Trash me')).toHaveCount(0);
  await expect(deviceStatus(page)).toContainText('1 server copy is removed when the session ends');
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
  const folders = page.getByRole('navigation', { name: 'Folders' });
  await folders.getByRole('link', { name: 'Trash' }).click();
  await expect(row(list, 'Trash me')).toBeVisible();
  await signOut(page);
  await expect
    .poll(async () => maildirSubjects(await dovecot.maildirFiles(user.username)))
    .toEqual(['Keep me here']);

  await signIn(page, { server: 'pop3s', user });
  await folders.getByRole('link', { name: 'Trash' }).click();
  await expect(row(list, 'Trash me')).toContainText('Kept only on this device');
  await row(list, 'Trash me').click();
  await expect(page.getByRole('region', { name: 'Message' })).toContainText('Body of Trash me.');
  await page.getByRole('button', { name: 'Empty trash' }).click();
  await expect(row(list, 'Trash me')).toHaveCount(0);
  await signOut(page);
  expect(await maildirSubjects(await dovecot.maildirFiles(user.username))).toEqual(['Keep me here']);
});

test('"Remove from the server after N days" counts from first seen, per UIDL (the page clock moved, no sleeps)', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.ager;
  const day = 86_400_000;
  const start = Date.parse('2026-03-01T08:00:00Z');
  await persistence(page, true);
  await page.clock.install({ time: start });
  await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server after N days', days: 3 });
  await expect(deviceStatus(page)).toContainText('2 of 2 saved on this device');
  await signOut(page);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);

  // Two days later a third message arrives: first seen then.
  await dovecot.deliver(user.username, messages.simple('Aged three', 25));
  await page.clock.setSystemTime(start + 2 * day);
  await signIn(page, { server: 'pop3s', user });
  await expect(deviceStatus(page)).toContainText('3 of 3 saved on this device');
  await signOut(page);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(3);

  // Three days after the first two were first seen: they go, the third stays.
  await page.clock.setSystemTime(start + 3 * day + 60_000);
  await signIn(page, { server: 'pop3s', user });
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  await signOut(page);
  await expect
    .poll(async () => maildirSubjects(await dovecot.maildirFiles(user.username)))
    .toEqual(['Aged three']);
});
