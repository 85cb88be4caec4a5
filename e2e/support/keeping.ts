// Driving the settings of the mail kept on this device (issue 15), and reading the maildir back.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect } from './test.js';

/** The browser answers persist() and persisted() with `granted` (Chromium decides by heuristics). */
export async function persistence(page: Page, granted: boolean) {
  await page.addInitScript((value) => {
    Object.defineProperty(StorageManager.prototype, 'persisted', { value: async () => value });
    Object.defineProperty(StorageManager.prototype, 'persist', { value: async () => value });
  }, granted);
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
