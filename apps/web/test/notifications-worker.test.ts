// New-mail notifications through the service worker (Android Chrome refuses `new Notification`): the
// page's notifier (src/newmail/browser-notifier.ts) and the worker's click handler
// (public/notification-click.js, run here in a VM context with the worker's globals).
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { browserNotifier, NOTIFICATION_MESSAGES } from '../src/newmail/browser-notifier.js';
import type { NewMailNote } from '../src/newmail/notifications.js';

const note: NewMailNote = { title: 'Dana', body: 'Lunch?', tag: 'webpop-new-mail:a:u1', uid: 'u1' };

/** The page's Notification API: granted, recording what is made (or refusing, as Android Chrome). */
function notificationApi(refuse = false) {
  const made: Array<{
    title: string;
    options: NotificationOptions | undefined;
    onclick: (() => void) | null;
  }> = [];
  class FakeNotification {
    static permission: NotificationPermission = 'granted';
    static requestPermission = async () => 'granted' as const;
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      if (refuse) throw new TypeError('Illegal constructor');
      made.push(this as never);
      Object.assign(this, { title, options });
    }
    close() {}
  }
  return { api: FakeNotification as unknown as typeof Notification, made };
}

/** A service worker container with (or without) an active registration that records showNotification. */
function workerContainer(active: boolean) {
  const shown: Array<{ title: string; options: NotificationOptions }> = [];
  const container = new EventTarget() as EventTarget & { getRegistration(): Promise<unknown> };
  container.getRegistration = async () =>
    active
      ? {
          active: {},
          showNotification: async (title: string, options: NotificationOptions) =>
            shown.push({ title, options }),
        }
      : undefined;
  return { container: container as unknown as ServiceWorkerContainer, shown };
}

const visible = { visibilityState: 'hidden' as const, hasFocus: () => false };

/** Sends the page what the worker sends it; resolves with the reply on the port, if any. */
function fromWorker(container: ServiceWorkerContainer, type: string, tag: string): Promise<unknown> {
  const channel = new MessageChannel();
  const reply = new Promise((resolve) => {
    channel.port1.onmessage = (event) => resolve(event.data);
    setTimeout(() => resolve('no reply'), 200);
  });
  container.dispatchEvent(new MessageEvent('message', { data: { type, tag }, ports: [channel.port2] }));
  return reply.finally(() => channel.port1.close());
}

describe('the page’s notifier', () => {
  it('shows through the active service worker, and opens the message when the worker says it was clicked', async () => {
    const { api, made } = notificationApi();
    const { container, shown } = workerContainer(true);
    const notifier = browserNotifier({
      Notification: api,
      serviceWorker: container,
      document: visible,
      focus() {},
      icon: 'i.png',
    });
    const onClick = vi.fn();
    notifier.show(note, onClick);
    await vi.waitFor(() => expect(shown).toHaveLength(1));
    expect(shown[0]).toEqual({
      title: 'Dana',
      options: { body: 'Lunch?', tag: note.tag, icon: 'i.png', data: { webpop: note.tag } },
    });
    expect(made).toEqual([]);
    expect(await fromWorker(container, NOTIFICATION_MESSAGES.owns, note.tag)).toBe(true);
    expect(await fromWorker(container, NOTIFICATION_MESSAGES.owns, 'another page’s')).toBe(false);
    await fromWorker(container, NOTIFICATION_MESSAGES.open, note.tag);
    expect(onClick).toHaveBeenCalledTimes(1);
    // Once opened it is no longer this page's to open.
    expect(await fromWorker(container, NOTIFICATION_MESSAGES.owns, note.tag)).toBe(false);
  });

  it('falls back to the page’s Notification without an active worker, and survives a browser that refuses both', async () => {
    const { api, made } = notificationApi();
    const { container, shown } = workerContainer(false);
    const focus = vi.fn();
    const notifier = browserNotifier({
      Notification: api,
      serviceWorker: container,
      document: visible,
      focus,
      icon: 'i.png',
    });
    const onClick = vi.fn();
    notifier.show(note, onClick);
    await vi.waitFor(() => expect(made).toHaveLength(1));
    expect(shown).toEqual([]);
    made[0]!.onclick!();
    expect(focus).toHaveBeenCalled();
    expect(onClick).toHaveBeenCalledTimes(1);

    const refusing = notificationApi(true);
    const quiet = browserNotifier({
      Notification: refusing.api,
      serviceWorker: undefined,
      document: visible,
      focus,
      icon: '',
    });
    expect(() => quiet.show(note, onClick)).not.toThrow();
    expect(quiet.permission()).toBe('granted');
    expect(
      browserNotifier({
        Notification: undefined,
        serviceWorker: undefined,
        document: visible,
        focus,
        icon: '',
      }).permission(),
    ).toBe('unsupported');
  });
});

/** The worker's script with fake clients: each answers the "is it yours?" question as told. */
function workerScript(windows: Array<{ owns: boolean | 'silent' }>) {
  const handlers = new Map<string, (event: unknown) => void>();
  const calls: string[] = [];
  const clients = windows.map((window, index) => ({
    focus: async () => void calls.push(`focus ${index}`),
    postMessage(message: { type: string; tag: string }, ports?: MessagePort[]) {
      calls.push(`${message.type} ${index}`);
      if (message.type === NOTIFICATION_MESSAGES.owns && window.owns !== 'silent')
        ports![0]!.postMessage(window.owns);
    },
  }));
  const self = {
    addEventListener: (type: string, handler: (event: unknown) => void) => handlers.set(type, handler),
    clients: {
      matchAll: async () => clients,
      openWindow: async (url: string) => void calls.push(`openWindow ${url}`),
    },
    registration: { scope: 'https://mail.example/app/' },
  };
  const source = readFileSync(new URL('../public/notification-click.js', import.meta.url), 'utf8');
  runInNewContext(source, { self, MessageChannel, setTimeout, clearTimeout, Promise });
  const click = async (data: unknown) => {
    let done: Promise<unknown> = Promise.resolve();
    const closed = vi.fn();
    handlers.get('notificationclick')!({
      notification: { data, close: closed },
      waitUntil: (promise: Promise<unknown>) => (done = promise),
    });
    await done;
    return closed;
  };
  return { click, calls };
}

describe('the service worker’s notification click', () => {
  it('focuses the window whose notification it was and tells it to open the message', async () => {
    const worker = workerScript([{ owns: false }, { owns: true }, { owns: 'silent' }]);
    const closed = await worker.click({ webpop: note.tag });
    expect(closed).toHaveBeenCalled();
    expect(worker.calls.filter((call) => !call.startsWith(NOTIFICATION_MESSAGES.owns))).toEqual([
      'focus 1',
      `${NOTIFICATION_MESSAGES.open} 1`,
    ]);
  });

  it('opens the app when no window owns it, and leaves other notifications to others', async () => {
    const worker = workerScript([{ owns: false }]);
    await worker.click({ webpop: note.tag });
    expect(worker.calls).toEqual([`${NOTIFICATION_MESSAGES.owns} 0`, 'openWindow https://mail.example/app/']);
    const other = workerScript([{ owns: true }]);
    const closed = await other.click({ somebody: 'else' });
    expect(closed).not.toHaveBeenCalled();
    expect(other.calls).toEqual([]);
  });
});
