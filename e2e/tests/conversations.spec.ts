// Issue 16: conversations, snippets and the attachment mark for messages kept as headers only, against
// real Dovecot: a reply delivered into the maildir groups under its original.
import { messageList, row, screenshot, signIn, signOut } from '../support/app.js';
import { conversation } from '../support/messages.js';
import { expect, test } from '../support/test.js';

test('a reply delivered later groups under its original; snippets from TOP n 10; the attachment mark from headers', async ({
  page,
  servers,
}, testInfo) => {
  const user = servers.users.threader;
  let list = await signIn(page, { server: 'pop3s', user });
  // Headers only and TOP n 0: no snippet, but the mark where the headers say multipart/mixed.
  await expect(row(list, 'Invoice attached')).toContainText('has attachments');
  await expect(row(list, 'Weekly letter')).not.toContainText('has attachments');
  await expect(row(list, 'Trip plans')).not.toContainText('night train');

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account settings' });
  await dialog.getByRole('checkbox', { name: 'Snippets for messages not saved here' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);

  const group = page.getByRole('button', { name: 'Group by conversation' });
  await expect(group).toHaveAttribute('aria-pressed', 'false');
  await group.click();
  await expect(group).toHaveAttribute('aria-pressed', 'true');

  await servers.dovecot.deliver(user.username, conversation.reply);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(list.getByRole('option')).toHaveCount(4);
  const thread = row(list, 'Re: Trip plans');
  await expect(thread).toContainText('conversation of 2 messages, collapsed');
  await expect(thread).toContainText('Alice Example, Bob Example');
  await expect(thread).toContainText('Yes, the night train it is.');
  await expect(row(list, 'Weekly letter')).toContainText('This week: trains and timetables.');

  // → opens the conversation, ← closes it; selecting the closed row selects the conversation.
  await thread.click();
  await expect(thread).toHaveAttribute('aria-selected', 'true');
  await list.focus();
  await page.keyboard.press('ArrowRight');
  await expect(thread).toContainText('expanded');
  await expect(list.getByRole('option')).toHaveCount(5);
  const original = list.getByRole('option', { name: /in the conversation above/ });
  await expect(original).toContainText('Shall we take the night train to München on Friday?');
  await screenshot(page, testInfo, 'conversation expanded');
  await page.keyboard.press('ArrowLeft');
  await expect(list.getByRole('option')).toHaveCount(4);
  await page.keyboard.press('Shift+I');
  await expect(thread).not.toContainText('unread');
  await screenshot(page, testInfo, 'conversations grouped');

  // Remembered for the account.
  await signOut(page);
  list = await signIn(page, { server: 'pop3s', user });
  await expect(page.getByRole('button', { name: 'Group by conversation' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(messageList(page).getByRole('option')).toHaveCount(4);
  await expect(row(list, 'Re: Trip plans')).toContainText('conversation of 2 messages');
});
