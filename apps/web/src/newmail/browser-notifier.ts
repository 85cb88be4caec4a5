import { newMailLimits } from './limits.js';
import type { Notifier, NotifyPermission } from './notifications.js';

/** The message the service worker (public/notification-click.js) and the page exchange about a click. */
export const NOTIFICATION_MESSAGES = {
  /** Worker → page, with a reply port: "is this notification yours?" (answered true or false). */
  owns: 'webpop:notification-owns',
  /** Worker → the page that owns it, after focusing it: "open its message". */
  open: 'webpop:notification-open',
} as const;

/** What the notifier needs of the page: the Notification API, the service worker, the document. */
export interface NotifierEnvironment {
  readonly Notification: typeof Notification | undefined;
  readonly serviceWorker: ServiceWorkerContainer | undefined;
  readonly document: Pick<Document, 'visibilityState' | 'hasFocus'>;
  readonly focus: () => void;
  readonly icon: string;
}

function pageEnvironment(): NotifierEnvironment {
  return {
    Notification: typeof Notification === 'undefined' ? undefined : Notification,
    serviceWorker: typeof navigator === 'undefined' ? undefined : navigator.serviceWorker,
    document,
    focus: () => window.focus(),
    icon: './icon-192.png',
  };
}

/**
 * The page's notifier. Where a service worker is active it shows notifications through
 * `registration.showNotification` (Android Chrome refuses `new Notification`, and a worker's
 * notification outlives the tab's focus); its click reaches the worker, which asks the open windows
 * whose notification it was, focuses that one and tells it to open the message. Without an active
 * worker (the first visit before it activates, a browser without one) `new Notification` in the page.
 */
export function browserNotifier(env: NotifierEnvironment = pageEnvironment()): Notifier {
  const api = env.Notification;
  // The clicks this page still owes, by tag (a later notification with the same tag replaces one).
  const clicks = new Map<string, () => void>();
  const remember = (tag: string, onClick: () => void) => {
    clicks.delete(tag);
    clicks.set(tag, onClick);
    while (clicks.size > newMailLimits.pendingClicks) clicks.delete(clicks.keys().next().value!);
  };
  env.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown; tag?: unknown } | null;
    if (typeof data?.tag !== 'string') return;
    if (data.type === NOTIFICATION_MESSAGES.owns) event.ports[0]?.postMessage(clicks.has(data.tag));
    if (data.type === NOTIFICATION_MESSAGES.open) {
      const onClick = clicks.get(data.tag);
      clicks.delete(data.tag);
      onClick?.();
    }
  });

  const inPage = (title: string, options: NotificationOptions, onClick: () => void) => {
    if (!api) return;
    let shown: Notification;
    try {
      shown = new api(title, options);
    } catch {
      // Android Chrome: "Illegal constructor" — only a service worker may show one there.
      return;
    }
    shown.onclick = () => {
      env.focus();
      shown.close();
      onClick();
    };
  };

  return {
    permission: (): NotifyPermission => (api ? api.permission : 'unsupported'),
    async requestPermission() {
      if (!api) return 'unsupported';
      return api.requestPermission();
    },
    watching: () => env.document.visibilityState === 'visible' && env.document.hasFocus(),
    show(note, onClick) {
      if (!api || api.permission !== 'granted') return;
      const options = { body: note.body, tag: note.tag, icon: env.icon };
      const worker = env.serviceWorker;
      if (!worker) return inPage(note.title, options, onClick);
      void worker
        .getRegistration()
        .then(async (registration) => {
          if (!registration?.active) return inPage(note.title, options, onClick);
          remember(note.tag, onClick);
          await registration.showNotification(note.title, { ...options, data: { webpop: note.tag } });
        })
        .catch(() => inPage(note.title, options, onClick));
    },
  };
}
