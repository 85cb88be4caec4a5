// What a page did that it should not have: requests beyond the app's own origin, popups, navigations,
// dialogs, messages posted to the app's window, a changed title or storage, and how long its main
// thread was busy.
import type { Page, Request } from '@playwright/test';

export interface PageWatch {
  /** http(s) and ws(s) requests to anywhere but the app's host (its page, API and relay). */
  readonly foreignRequests: Request[];
  readonly popups: number;
  readonly dialogs: number;
  /** Main-frame navigations after the first load. */
  readonly navigations: string[];
  /** Messages posted to the app's window, titles changed, storage written, by anything in the page. */
  tampering(): Promise<{ messages: string[]; title: string; storage: string[] }>;
  /** Starts counting main-thread stalls: the longest gap between 20 ms timer ticks from now on. */
  startLagProbe(): Promise<void>;
  longestLagMs(): Promise<number>;
}

declare global {
  interface Window {
    __watch?: { messages: string[]; lag: number; last: number };
  }
}

export async function watchPage(page: Page, appOrigin: string): Promise<PageWatch> {
  const foreignRequests: Request[] = [];
  const navigations: string[] = [];
  let popups = 0;
  let dialogs = 0;
  page.on('request', (request) => {
    const url = request.url();
    if (/^(?:https?|wss?):/.test(url) && new URL(url).host !== new URL(appOrigin).host) {
      foreignRequests.push(request);
    }
  });
  page.on('popup', () => popups++);
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  let loaded = false;
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return;
    if (loaded) navigations.push(frame.url());
    loaded = true;
  });
  await page.addInitScript(() => {
    window.__watch = { messages: [], lag: 0, last: 0 };
    window.addEventListener('message', (event) => {
      // The app's window only (init scripts run in every frame), and not its own sanitizer frame's
      // answers (DOMPurify there parses inertly: no message runs in it).
      if (window.top !== window) return;
      if (event.source === document.querySelector<HTMLIFrameElement>('iframe.sanitizer-frame')?.contentWindow)
        return;
      window.__watch!.messages.push(String(event.data));
    });
  });
  return {
    foreignRequests,
    get popups() {
      return popups;
    },
    get dialogs() {
      return dialogs;
    },
    navigations,
    tampering: () =>
      page.evaluate(() => ({
        messages: window.__watch?.messages ?? [],
        title: document.title,
        storage: Object.keys(localStorage).filter((key) => key !== 'webpop.settings'),
      })),
    startLagProbe: () =>
      page.evaluate(() => {
        const watch = window.__watch!;
        watch.lag = 0;
        watch.last = performance.now();
        const tick = () => {
          const now = performance.now();
          watch.lag = Math.max(watch.lag, now - watch.last);
          watch.last = now;
          setTimeout(tick, 20);
        };
        setTimeout(tick, 20);
      }),
    longestLagMs: () => page.evaluate(() => Math.round(window.__watch!.lag)),
  };
}
