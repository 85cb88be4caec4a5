// A click on a new-mail notification, in the service worker (imported by Workbox's generated sw.js:
// vite.config.ts, workbox.importScripts). The page showed it with `data: { webpop: tag }`
// (src/newmail/browser-notifier.ts): ask each open window whether it is theirs, focus that one and
// tell it to open the message; with no window left, open the app.
/* global self, MessageChannel, setTimeout, clearTimeout */
const OWNS = 'webpop:notification-owns';
const OPEN = 'webpop:notification-open';
// src/newmail/limits.ts: ownerReplyMs.
const OWNER_REPLY_MS = 1000;

/** Resolves true when the window says the notification is its own; false on no, or no answer in time. */
function owns(client, tag) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), OWNER_REPLY_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data === true);
    };
    client.postMessage({ type: OWNS, tag }, [channel.port2]);
  });
}

async function openFromNotification(tag) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const answers = await Promise.all(windows.map((client) => owns(client, tag)));
  const owner = windows.find((_, index) => answers[index]);
  if (!owner) {
    // Its tab was closed (or reloaded): the app opens; the message is in its Inbox.
    await self.clients.openWindow(self.registration.scope);
    return;
  }
  try {
    await owner.focus();
  } catch {
    // Focus is the browser's to refuse (no user activation); the message still opens.
  }
  owner.postMessage({ type: OPEN, tag });
}

self.addEventListener('notificationclick', (event) => {
  const tag = event.notification.data && event.notification.data.webpop;
  if (typeof tag !== 'string') return;
  event.notification.close();
  event.waitUntil(openFromNotification(tag));
});
