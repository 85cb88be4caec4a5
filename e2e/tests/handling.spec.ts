// Issue 16, in the reader: printing prints the message alone; attachments preview (the PDF outside the
// app's origin); everything else still downloads.
import { reader, row, screenshot, signIn } from '../support/app.js';
import { expect, test } from '../support/test.js';

test('print emulation shows only the message, its whole HTML body included', async ({
  page,
  servers,
}, testInfo) => {
  const list = await signIn(page, { server: 'pop3s', user: servers.users.handler });
  await row(list, 'Long HTML letter').click();
  const pane = reader(page);
  await expect(pane.frameLocator('iframe[title]').getByText('Dear reader')).toBeVisible();
  // The button calls the browser's print, which fires beforeprint (emulated media does not).
  await page.evaluate(() => {
    window.print = () => {
      document.body.dataset['printed'] = 'yes';
      window.dispatchEvent(new Event('beforeprint'));
    };
  });
  await pane.getByRole('button', { name: 'Print' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes');
  await page.emulateMedia({ media: 'print' });

  for (const outside of [
    list,
    page.getByRole('navigation', { name: 'Folders' }),
    page.getByRole('button', { name: 'Refresh' }),
    page.getByRole('searchbox', { name: 'Search mail' }),
    pane.getByRole('button', { name: 'Print' }),
    pane.getByRole('tablist'),
    pane.locator('iframe.html-body'),
  ])
    await expect(outside).toBeHidden();
  await expect(pane.getByRole('heading', { name: 'Long HTML letter' })).toBeVisible();
  await expect(pane.getByText('Long Writer')).toBeVisible();
  // The print copy holds the body to its last line, which the frame's box would cut.
  const copy = pane.locator('.print-copy');
  await expect(copy.getByText('The last paragraph of the letter.')).toBeVisible();
  await expect(copy.getByText('Paragraph 60 of the long letter.')).toHaveCSS('color', 'rgb(34, 51, 68)');
  const height = await copy.evaluate((element) => element.getBoundingClientRect().height);
  expect(height).toBeGreaterThan(1500);
  await screenshot(page, testInfo, 'print preview');

  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await expect(copy.getByText('Dear reader')).toHaveCount(0);
});

test('a PDF attachment previews without running in the app’s origin; images and text preview; SVG downloads', async ({
  page,
  servers,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const list = await signIn(page, { server: 'pop3s', user: servers.users.handler });
  await row(list, 'Files to preview').click();
  const pane = reader(page);
  await expect(pane.getByRole('button', { name: 'Download drawing.svg' })).toBeVisible();
  await expect(pane.getByRole('button', { name: 'Preview drawing.svg' })).toHaveCount(0);

  // The image: an <img> of the bytes, keyboard reachable, Escape closes and focus goes back.
  const previewPng = pane.getByRole('button', { name: 'Preview dot.png' });
  await previewPng.focus();
  await page.keyboard.press('Enter');
  const image = pane.getByRole('region', { name: 'Preview of dot.png' });
  await expect(image.getByRole('button', { name: 'Close preview' })).toBeFocused();
  await expect
    .poll(() => image.getByRole('img').evaluate((element: HTMLImageElement) => element.naturalWidth))
    .toBe(1);
  await page.keyboard.press('Escape');
  await expect(image).toHaveCount(0);
  await expect(previewPng).toBeFocused();
  // Escape closed the preview, not the message.
  await expect(pane.getByRole('heading', { name: 'Files to preview' })).toBeVisible();

  await pane.getByRole('button', { name: 'Preview notes.txt' }).click();
  const text = pane.getByRole('region', { name: 'Preview of notes.txt' });
  await expect(text.getByText('Notes: größer als 42.')).toBeVisible();

  await pane.getByRole('button', { name: 'Preview report.pdf' }).click();
  const pdf = pane.getByRole('region', { name: 'Preview of report.pdf' });
  await expect(pdf.locator('iframe')).toHaveAttribute('title', 'Preview of report.pdf');
  // The browser's own viewer loaded in the frame (Chromium's PDF extension frame appears under it).
  await expect
    .poll(() => page.frames().some((frame) => frame.url().startsWith('chrome-extension://')))
    .toBe(true);
  const frame = page.frames().find((candidate) => candidate.url().startsWith('data:application/pdf'));
  expect(frame).toBeDefined();
  const appOrigin = await page.evaluate(() => window.origin);
  const inside = await frame!.evaluate(() => {
    let reach: string;
    try {
      reach = `read ${window.parent.document.title}`;
    } catch (error) {
      reach = (error as Error).name;
    }
    let storage: string;
    try {
      storage = `read ${window.localStorage.length}`;
    } catch (error) {
      storage = (error as Error).name;
    }
    return { origin: window.origin, reach, storage };
  });
  expect(inside).toEqual({ origin: 'null', reach: 'SecurityError', storage: 'SecurityError' });
  expect(appOrigin).not.toBe('null');
  // The app's own title (with the unread count before it): the PDF's script did not set it.
  expect(await page.title()).toMatch(/^(\(\d+\) Inbox — )?webpop$/);
  expect(dialogs).toEqual([]);
});
