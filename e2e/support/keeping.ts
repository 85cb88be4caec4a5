// Driving the settings of the mail kept on this device (issue 15), and reading the maildir back.
import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';

/**
 * Chromium's own answer to persist() and persisted() for the page's context: the persistent-storage
 * permission set granted or denied through DevTools (Browser.setPermission), as a user's choice or
 * Chromium's heuristics (an installed app, a bookmark, engagement) would set it. Nothing in the page
 * is replaced: a fresh headless profile's own answer is `false` (permission state "prompt").
 */
export async function persistence(page: Page, granted: boolean) {
  const pageSession = await page.context().newCDPSession(page);
  const { targetInfo } = await pageSession.send('Target.getTargetInfo');
  await pageSession.detach();
  const browser = await page.context().browser()!.newBrowserCDPSession();
  await browser.send('Browser.setPermission', {
    permission: { name: 'persistent-storage' },
    setting: granted ? 'granted' : 'denied',
    ...(targetInfo.browserContextId ? { browserContextId: targetInfo.browserContextId } : {}),
  });
  // Not detached: Chromium drops a DevTools client's permission overrides when it detaches.
}

export function deviceStatus(page: Page) {
  return page.getByRole('status').filter({ hasText: 'saved on this device' });
}

export async function chooseSettings(
  page: Page,
  options: { serverCopy: string; days?: number; acknowledge?: boolean },
) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account settings' });
  await dialog
    .getByRole('radiogroup', { name: 'Server copy' })
    .getByRole('radio', { name: options.serverCopy })
    .check();
  if (options.days !== undefined)
    await dialog.getByRole('spinbutton', { name: 'Days' }).fill(String(options.days));
  await dialog
    .getByRole('radiogroup', { name: 'Keep on this device' })
    .getByRole('radio', { name: 'Everything' })
    .check();
  if (options.acknowledge)
    await dialog.getByRole('checkbox', { name: /I understand that the browser/ }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
}

/** The subjects of the messages the maildir holds. */
export async function maildirSubjects(files: readonly string[]): Promise<string[]> {
  const subjects = await Promise.all(
    files.map(async (file) => /^Subject: (.*)$/m.exec(await readFile(file, 'utf8'))?.[1]?.trim() ?? ''),
  );
  return subjects.sort();
}
