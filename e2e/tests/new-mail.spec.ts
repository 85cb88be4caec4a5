// Issue 18, new mail: the check on its timer (Playwright's clock jumps the five minutes), the count in
// the title, and a desktop notification that opens the message, against real Dovecot in Chromium.
import { reader, row, signIn } from '../support/app.js';
import { simple } from '../support/messages.js';
import { expect, test } from '../support/test.js';

interface ShownNote {
  readonly title: string;
  readonly body: string | undefined;
}

declare global {
  interface Window {
    /** What the page showed through the Notification API (the init script below records it). */
    shownNotes?: ShownNote[];
    lastNote?: Notification;
  }
}

test.use({ permissions: ['notifications'] });

test('a delivery shows up by itself within the check interval and raises a notification that opens it', async ({
  page,
  context,
  servers,
}) => {
  const user = servers.users.notified;
  // The browser's own Notification, recorded on its way: what the app shows is what the test reads.
  await page.addInitScript(() => {
    const Real = window.Notification;
    window.shownNotes = [];
    window.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        window.shownNotes!.push({ title, body: options?.body });
        window.lastNote = this;
      }
    };
  });
  await page.clock.install();
  const list = await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Waiting for news')).toBeVisible();
  await expect(page).toHaveTitle('(1) Inbox — webpop');

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account settings' });
  await expect(dialog.getByRole('checkbox', { name: 'Check for new mail' })).toBeChecked();
  await expect(dialog.getByRole('spinbutton', { name: 'Minutes' })).toHaveValue('5');
  const notify = dialog.getByRole('checkbox', { name: 'Notify me of new mail' });
  await expect(notify).not.toBeChecked();
  await notify.check(); // asks for the permission in the click; the context granted it
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);

  // The user is in another tab: the app's tab keeps running, visible but not focused.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
  const elsewhere = await context.newPage();
  await elsewhere.bringToFront();

  await servers.dovecot.deliver(user.username, simple('Arrived by itself', 25));
  // Saving counted the five minutes again from then; nothing is checked before they pass.
  await page.clock.fastForward('04:50');
  await expect(row(list, 'Arrived by itself')).toHaveCount(0);
  await page.clock.fastForward('00:11');
  await expect(row(list, 'Arrived by itself')).toBeVisible();
  await expect(row(list, 'Arrived by itself')).toContainText('new');
  await expect(page).toHaveTitle('(2) Inbox — webpop');
  await expect
    .poll(() => page.evaluate(() => window.shownNotes))
    .toEqual([{ title: 'Sender', body: 'Arrived by itself' }]);

  // A click on the notification focuses the tab and opens the message.
  await page.evaluate(() => window.lastNote!.dispatchEvent(new Event('click')));
  await expect(reader(page).getByRole('heading', { name: 'Arrived by itself' })).toBeVisible();
  await expect(row(list, 'Arrived by itself')).not.toContainText('new');
  await expect(page).toHaveTitle('(1) Inbox — webpop');
  await elsewhere.close();
});
