// The Export dialog and the Import files input (issue 15) as a person uses them; an export comes back
// as the browser's download (the page without the File System Access API's picker).
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

export type ExportFormatLabel = 'mbox (one file, for mail programs)' | 'Zip of .eml files';

/** Call before the page loads: exports then take the download path (no save dialog to click). */
export async function withoutSavePicker(page: Page): Promise<void> {
  await page.addInitScript(() => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker);
}

/** Exports `count` messages of the chosen scope ("Messages": Inbox, Archive, …) and returns the file. */
export async function exportAs(
  page: Page,
  format: ExportFormatLabel,
  count: number,
  scope?: string,
): Promise<{ name: string; bytes: Uint8Array }> {
  await page.getByRole('button', { name: 'Export' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export mail' });
  await dialog.getByRole('radiogroup', { name: 'Format' }).getByLabel(format).check();
  if (scope) await dialog.getByRole('radiogroup', { name: 'Messages' }).getByLabel(scope).check();
  const messages = count === 1 ? '1 message' : `${count} messages`;
  await expect(dialog).toContainText(`${messages} saved on this device`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Save file' }).click(),
  ]);
  await expect(page.getByRole('status', { name: 'Export and import' })).toContainText(`Exported ${messages}`);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(await readFile(await download.path())) };
}

/** Imports files through "Import files" and waits for the store to say how many it took. */
export async function importMessages(
  page: Page,
  files: ReadonlyArray<{ name: string; mimeType: string; bytes: Uint8Array }>,
  count: number,
): Promise<void> {
  await page
    .getByLabel('Import files')
    .setInputFiles(
      files.map(({ name, mimeType, bytes }) => ({ name, mimeType, buffer: Buffer.from(bytes) })),
    );
  await expect(page.getByRole('status', { name: 'Export and import' })).toContainText(
    `Imported ${count} messages`,
  );
}
