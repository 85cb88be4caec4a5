// Scenario 10: everything by keyboard alone; the German and Russian interfaces.
import type { Locator, Page } from '@playwright/test';
import { messageList, reader, row, screenshot, signIn } from '../support/app.js';
import { encoded, plain } from '../support/messages.js';
import { expect, test } from '../support/test.js';

/** Presses Tab until `target` has the focus (as a person tabbing through the page would). */
async function tabTo(page: Page, target: Locator, most = 25): Promise<void> {
  for (let presses = 0; presses < most; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('keyboard only: sign in, move through the list, open, delete, refresh', async ({
  page,
  servers,
}, testInfo) => {
  const user = servers.users.keyboard;
  await page.goto('/');
  await expect(page.getByRole('combobox', { name: 'Server' })).toBeEnabled();
  const server = page.getByRole('combobox', { name: 'Server' });
  await tabTo(page, server);
  // Choose "Dovecot (TLS)" in the picker with the keyboard.
  for (let presses = 0; presses < 5 && (await server.inputValue()) !== 'pop3s'; presses++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(server).toHaveValue('pop3s');
  await tabTo(page, page.getByRole('textbox', { name: 'Username' }));
  await page.keyboard.type(user.username);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: 'Password' })).toBeFocused();
  await page.keyboard.type(user.password);
  await page.keyboard.press('Enter');

  const list = messageList(page);
  await expect(row(list, 'Keys third')).toBeVisible();
  await expect(list).toHaveAttribute('aria-busy', 'false');
  await tabTo(page, list);
  // Newest first: third, second, first; arrows and j/k move the selection.
  await page.keyboard.press('ArrowDown');
  await expect(row(list, 'Keys third')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(row(list, 'Keys first')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(row(list, 'Keys second')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(reader(page).getByRole('heading', { name: 'Keys second' })).toBeVisible();
  await expect(reader(page)).toContainText('Body of Keys second.');

  await expect(list).toBeFocused();
  await page.keyboard.press('Delete');
  await expect(row(list, 'Keys second')).toHaveAccessibleName(/marked for deletion/);
  await screenshot(page, testInfo, 'keyboard-marked');
  // Refresh ends the session with QUIT (the deletion happens) and lists the mailbox again.
  await page.keyboard.press('r');
  await expect(row(list, 'Keys second')).toHaveCount(0);
  await expect(row(list, 'Keys first')).toBeVisible();
  await expect(row(list, 'Keys third')).toBeVisible();
  expect(await servers.dovecot.maildirFiles(user.username)).toHaveLength(2);
});

const languages = [
  {
    locale: 'de-DE',
    signIn: 'Anmelden',
    username: 'Benutzername',
    signOut: 'Abmelden',
    refresh: 'Aktualisieren',
    count: '4 Nachrichten',
    empty: 'Wählen Sie eine Nachricht aus, um sie zu lesen.',
  },
  {
    locale: 'ru-RU',
    signIn: 'Войти',
    username: 'Имя пользователя',
    signOut: 'Выйти',
    refresh: 'Обновить',
    count: '4 письма',
    empty: 'Выберите письмо, чтобы прочитать его.',
  },
];

for (const language of languages) {
  test.describe(`in ${language.locale}`, () => {
    test.use({ locale: language.locale });

    test(`the ${language.locale} interface renders`, async ({ page, servers }, testInfo) => {
      await page.goto('/');
      await expect(page.getByRole('button', { name: 'Sign in' })).toHaveText(language.signIn);
      await expect(page.getByText(language.username, { exact: true })).toBeVisible();
      await screenshot(page, testInfo, `sign-in-${language.locale}`);

      const list = await signIn(page, { server: 'pop3s', user: servers.users.linguist });
      await expect(page.getByRole('button', { name: 'Sign out' })).toHaveText(language.signOut);
      await expect(page.getByRole('button', { name: 'Refresh' })).toContainText(language.refresh);
      await expect(page.getByText(language.count, { exact: true })).toBeVisible();
      await expect(reader(page)).toContainText(language.empty);
      // The message content is the message's own, whatever the interface language.
      await expect(row(list, encoded[1]!.subject)).toBeVisible();
      await row(list, plain.subject).click();
      await expect(reader(page)).toContainText(plain.text[0]!);
      await screenshot(page, testInfo, `mailbox-${language.locale}`);
    });
  });
}
