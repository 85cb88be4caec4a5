// Issue 16: several messages selected (Ctrl-click, Shift-click, keys) and handled at once, checked in the maildir.
import { row, screenshot, signIn, signOut } from '../support/app.js';
import { chooseSettings, deviceStatus, maildirSubjects, persistence } from '../support/keeping.js';
import { expect, test } from '../support/test.js';

test('multi-select and bulk delete under "Remove from the server when I delete it here" reaches the maildir', async ({
  page,
  servers,
}, testInfo) => {
  const { dovecot, users } = servers;
  const user = users.selector;
  await persistence(page, true);
  const list = await signIn(page, { server: 'pop3s', user });
  await expect(list).toHaveAttribute('aria-multiselectable', 'true');
  await chooseSettings(page, { serverCopy: 'Remove from the server when I delete it here' });
  await expect(deviceStatus(page)).toContainText('4 of 4 saved on this device');

  await row(list, 'Bulk three').click();
  await row(list, 'Bulk two').click({ modifiers: ['Shift'] });
  await row(list, 'Bulk one').click({ modifiers: ['ControlOrMeta'] });
  for (const subject of ['Bulk one', 'Bulk two', 'Bulk three'])
    await expect(row(list, subject)).toHaveAttribute('aria-selected', 'true');
  await expect(row(list, 'Bulk keep')).toHaveAttribute('aria-selected', 'false');
  await expect(page.getByText('3 selected')).toBeVisible();
  // s stars the three.
  await page.keyboard.press('s');
  await expect(row(list, 'Bulk one')).toContainText('starred');
  await screenshot(page, testInfo, 'list with selection');

  await page.getByRole('button', { name: 'Delete' }).click();
  for (const subject of ['Bulk one', 'Bulk two', 'Bulk three'])
    await expect(row(list, subject)).toHaveCount(0);
  await expect(deviceStatus(page)).toContainText('3 server copies are removed when the session ends');
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(4);
  await signOut(page);
  await expect
    .poll(async () => maildirSubjects(await dovecot.maildirFiles(user.username)))
    .toEqual(['Bulk keep']);
});
