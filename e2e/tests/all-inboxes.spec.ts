// Issues 16 and 18: All inboxes has one account's list's selection, bulk actions, keyboard and
// conversations; each message is handled in its own account under its own policy (checked in the maildirs).
import { messageList, reader, row, screenshot, signIn } from '../support/app.js';
import { chooseSettings, deviceStatus, maildirSubjects, persistence } from '../support/keeping.js';
import { expect, test } from '../support/test.js';

const first = 'allfirst on Dovecot (TLS)';
const second = 'allsecond on Dovecot (STLS)';

test('All inboxes: multi-select, keys and bulk actions in each message’s own account; conversations across accounts', async ({
  page,
  servers,
}, testInfo) => {
  const { dovecot, users } = servers;
  await persistence(page, true);
  // The first keeps mail here and removes a server copy once deleted here; the second keeps headers only (Delete is DELE).
  await signIn(page, { server: 'pop3s', user: users.allfirst });
  await chooseSettings(page, { serverCopy: 'Remove from the server when I delete it here' });
  await expect(deviceStatus(page)).toContainText('3 of 3 saved on this device');
  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  await accounts.getByRole('button', { name: 'Add account' }).click();
  await signIn(page, { server: 'stls', user: users.allsecond });
  await accounts.getByRole('link', { name: 'All inboxes' }).click();

  const list = messageList(page);
  await expect(list).toHaveAttribute('aria-multiselectable', 'true');
  await expect(list.getByRole('option')).toHaveCount(6);

  // Click, Shift-click a range across both accounts, Ctrl/Cmd-click one out.
  await row(list, 'Unified B two').click();
  await row(list, 'Unified A one').click({ modifiers: ['Shift'] });
  await expect(page.getByText('4 selected')).toBeVisible();
  await row(list, 'Unified B one').click({ modifiers: ['ControlOrMeta'] });
  await expect(page.getByText('3 selected')).toBeVisible();
  for (const subject of ['Unified B two', 'Unified A two', 'Unified A one'])
    await expect(row(list, subject)).toHaveAttribute('aria-selected', 'true');
  await expect(row(list, 'Unified B one')).toHaveAttribute('aria-selected', 'false');

  // s stars the three, Shift+I marks them read (in their own accounts).
  await page.keyboard.press('s');
  await expect(page.getByRole('button', { name: 'Remove star' })).toBeVisible();
  await page.keyboard.press('Shift+I');
  await expect(page.getByRole('button', { name: 'Mark as read' })).toBeDisabled();
  await screenshot(page, testInfo, 'all inboxes with a selection');

  // # deletes each in its own account: the first's to its Trash (leaving the list), the second's by DELE (greyed).
  await page.keyboard.press('#');
  await expect(row(list, 'Unified A two')).toHaveCount(0);
  await expect(row(list, 'Unified A one')).toHaveCount(0);
  await expect(row(list, 'Unified B two')).toHaveClass(/deleted/);
  await expect(list.getByRole('option')).toHaveCount(4);

  // j moves, x adds to the selection, Ctrl+A selects all shown.
  await list.focus();
  await page.keyboard.press('Home');
  await expect(row(list, 'Re: Trip plans')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('j');
  await expect(row(list, '— Trip plans')).toHaveAttribute('aria-selected', 'true');
  await expect(row(list, 'Re: Trip plans')).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('k');
  await page.keyboard.press('x');
  await expect(row(list, 'Re: Trip plans')).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('ControlOrMeta+a');
  await expect(page.getByText('4 selected')).toBeVisible();

  // The same ? help as one account's list.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('star or remove the star');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // Group by conversation joins the reply in the second account to its original in the first.
  const group = page.getByRole('button', { name: 'Group by conversation' });
  await group.click();
  await expect(group).toHaveAttribute('aria-pressed', 'true');
  await expect(list.getByRole('option')).toHaveCount(3);
  const thread = row(list, 'Re: Trip plans');
  await expect(thread).toHaveAttribute(
    'aria-label',
    `${second}, ${first}: Alice Example, Bob Example — Re: Trip plans`,
  );
  await expect(thread).toHaveAttribute('aria-description', /conversation of 2 messages, collapsed/);
  await thread.click();
  await list.focus();
  await page.keyboard.press('ArrowRight');
  await expect(list.getByRole('option')).toHaveCount(4);
  await screenshot(page, testInfo, 'all inboxes grouped, conversation open');
  await page.keyboard.press('ArrowLeft');
  await expect(list.getByRole('option')).toHaveCount(3);
  // The closed conversation stands for both messages: s stars each in its own account.
  await page.keyboard.press('s');
  await expect(thread).toHaveAttribute('aria-description', /starred/);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, testInfo, 'all inboxes on a phone, reading');
  // The reader's own "Back to the list" shows All inboxes' list again.
  await reader(page).getByRole('button', { name: 'Back to the list' }).click();
  await expect(list).toBeVisible();
  await screenshot(page, testInfo, 'all inboxes on a phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  await accounts.getByRole('link', { name: first }).click();
  await expect(row(messageList(page), 'Trip plans')).toContainText('starred');
  await accounts.getByRole('link', { name: second }).click();
  await expect(row(messageList(page), 'Re: Trip plans')).toContainText('starred');

  await accounts.getByRole('button', { name: 'Sign out of all accounts' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect
    .poll(async () => maildirSubjects(await dovecot.maildirFiles(users.allfirst.username)))
    .toEqual(['Trip plans']);
  expect(await maildirSubjects(await dovecot.maildirFiles(users.allsecond.username))).toEqual([
    'Re: Trip plans',
    'Unified B one',
  ]);
});
