// The search's setup and its controls (issue 16), shared by the search specs and the search-page
// bench: no `expect` here, so the bench (outside Playwright Test) can use it too.
import type { Locator, Page } from '@playwright/test';

/** The dialog's radios and buttons, in the interface's language (the dialog and its groups are named in English). */
export interface KeepLabels {
  readonly everything: string;
  readonly save: string;
}

export const englishKeepLabels: KeepLabels = {
  everything: 'Everything',
  save: 'Save',
};
export const germanKeepLabels: KeepLabels = {
  everything: 'Alles',
  save: 'Speichern',
};

/** "Keep on this device: Everything", so every message's body and attachments are indexed. */
export async function keepEverything(page: Page, labels: KeepLabels = englishKeepLabels): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account settings' });
  await dialog
    .getByRole('radiogroup', { name: 'Keep on this device' })
    .getByRole('radio', { name: labels.everything })
    .check();
  await dialog.getByRole('button', { name: labels.save }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The search field ("Search mail"). */
export const searchBox = (page: Page): Locator => page.getByRole('searchbox', { name: 'Search mail' });

/** The search's status line: how many were found, or "Indexing…" while the worker catches up. */
export const searchResults = (page: Page): Locator => page.getByRole('status', { name: 'Search results' });
