// Issue 18, new mail: the check on its timer (Playwright's clock jumps the five minutes), the count in
// the title, and a desktop notification that opens the message, against real Dovecot in Chromium. The
// notification goes through the app's active service worker (registration.showNotification, as
// Android Chrome requires), and its click through the worker's notificationclick handler.
import { reader, row, signIn } from '../support/app.js';
import { simple } from '../support/messages.js';
import { expect, test } from '../support/test.js';

interface ShownNote {
  readonly title: string;
  readonly body: string | undefined;
  /** `worker`: registration.showNotification; `page`: new Notification. */
  readonly via: 'worker' | 'page';
}

/** The service worker's global scope, as much of it as the click below needs. */
interface WorkerScope {
  readonly registration: { getNotifications(): Promise<unknown[]> };
  readonly NotificationEvent: new (type: string, init: { notification: unknown }) => Event;
  dispatchEvent(event: Event): boolean;
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
  // The browser's own notifications, recorded on their way: what the app shows is what the test reads.
  await page.addInitScript(() => {
    const Real = window.Notification;
    window.shownNotes = [];
    window.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        window.shownNotes!.push({ title, body: options?.body, via: 'page' });
        window.lastNote = this;
      }
    };
    const show = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
      window.shownNotes!.push({ title, body: options?.body, via: 'worker' });
      return show.call(this, title, options);
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

  // The app's service worker is active by now (it precaches the build after the first load).
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));

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
    .toEqual([{ title: 'Sender', body: 'Arrived by itself', via: 'worker' }]);

  // A click on the notification, in the worker: it asks the windows whose it is, and that tab opens it.
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await worker.evaluate(async () => {
    const scope = globalThis as unknown as WorkerScope;
    const [note] = await scope.registration.getNotifications();
    scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification: note }));
  });
  await expect(reader(page).getByRole('heading', { name: 'Arrived by itself' })).toBeVisible();
  await expect(row(list, 'Arrived by itself')).not.toContainText('new');
  await expect(page).toHaveTitle('(1) Inbox — webpop');
  await elsewhere.close();
});
