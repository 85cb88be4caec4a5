// The mailbox toolbar at 1280 px is one row: language and theme are behind "Language and theme".
import { screenshot, signIn } from '../support/app.js';
import { expect, test } from '../support/test.js';

test('the toolbar is one row at 1280 px; language and theme in their menu, which Escape closes', async ({
  page,
  servers,
}, testInfo) => {
  await signIn(page, { server: 'pop3s', user: servers.users.toolbar });
  const toolbar = page.locator('header.toolbar');
  expect((await toolbar.boundingBox())!.height).toBeLessThan(70);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport();
  await expect(page.getByRole('combobox', { name: 'Language' })).toBeHidden();

  const menu = page.getByRole('button', { name: 'Language and theme' });
  await expect(menu).toHaveText(/English/);
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, testInfo, 'language and theme open');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('combobox', { name: 'Theme' })).toBeHidden();
  await expect(menu).toBeFocused();

  await menu.click();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
  // The English accessible name stays; the button shows the language chosen.
  await expect(menu).toHaveText(/Deutsch/);
  await page.mouse.click(640, 500);
  await expect(page.getByRole('combobox', { name: 'Language' })).toBeHidden();
  await screenshot(page, testInfo, 'toolbar at 1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, testInfo, 'toolbar on a phone');
});
