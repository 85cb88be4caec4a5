// Scenario 4: a hostile HTML message runs nothing and navigates nowhere; a remote image is requested
// only after "Show images".
import { reader, row, screenshot, signIn } from '../support/app.js';
import { hostile } from '../support/messages.js';
import { expect, test } from '../support/test.js';

test('a hostile HTML message runs nothing, and remote images wait for "Show images"', async ({
  page,
  servers,
}, testInfo) => {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const popups: string[] = [];
  page.on('popup', (popup) => popups.push(popup.url()));
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // Every script in the message would also tell the page it ran.
  const posted: unknown[] = [];
  await page.exposeFunction('reportMessage', (data: unknown) => posted.push(data));
  await page.addInitScript(() => {
    const report = (window as unknown as { reportMessage(data: unknown): void }).reportMessage;
    window.addEventListener('message', (event) => {
      // The app's window only (init scripts run in every frame), and not its own sanitizer frame's
      // answers (DOMPurify there parses inertly: no message runs in it).
      if (window.top !== window) return;
      if (event.source === document.querySelector<HTMLIFrameElement>('iframe.sanitizer-frame')?.contentWindow)
        return;
      report(event.data);
    });
  });

  const list = await signIn(page, { server: 'pop3s', user: servers.users.reader });
  // The channel works: a message posted in the page arrives (and is then forgotten).
  await page.evaluate(() => window.postMessage('probe', '*'));
  await expect.poll(() => posted).toEqual(['probe']);
  posted.length = 0;
  const hitsBefore = servers.webHits.length;
  const address = page.url();
  const subject = hostile(servers.webOrigin).subject;
  await row(list, subject).click();
  const message = reader(page);
  const body = message.getByTitle('Message content').contentFrame();
  await expect(body.getByRole('heading', { name: 'Hostile headline' })).toBeVisible();
  await expect(message.getByRole('button', { name: 'Show images' })).toBeVisible();

  // Whatever is left to click is clicked: the link, and the form's button if it survived sanitizing.
  await body.getByText('Click for prizes').click();
  const claim = body.getByRole('button', { name: 'Claim prize' });
  if ((await claim.count()) > 0) await claim.click();
  // A meta refresh with a 0 s delay, a script or an error handler would have acted by now.
  await page.waitForTimeout(1500);

  expect(page.url()).toBe(address);
  await expect(body.getByRole('heading', { name: 'Hostile headline' })).toBeVisible();
  expect(posted).toEqual([]);
  expect(popups).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(servers.webHits.slice(hitsBefore)).toEqual([]);
  // Nothing but the app's own origin (its files, its API, the bridge's WebSocket) was asked for.
  const bridgeOrigin = new URL(servers.url).origin;
  expect(requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== bridgeOrigin)).toEqual(
    [],
  );
  await screenshot(page, testInfo, 'reader-remote-images-blocked');

  await message.getByRole('button', { name: 'Show images' }).click();
  await expect(body.getByRole('img', { name: 'remote picture' })).toBeVisible();
  await expect.poll(() => servers.webHits.slice(hitsBefore)).toContain('/hit/remote-image.png');
  // Showing images loads images (and CSS backgrounds), never the scripts, handlers, frames or form.
  expect(
    servers.webHits
      .slice(hitsBefore)
      .filter((hit) => !['/hit/remote-image.png', '/hit/css-background'].includes(hit)),
  ).toEqual([]);
  expect(posted).toEqual([]);
  expect(page.url()).toBe(address);
  await screenshot(page, testInfo, 'reader-remote-images-shown');
});
