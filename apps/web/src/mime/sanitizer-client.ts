import { mimeLimits } from './limits.js';
import type { SanitizedMessage, SanitizeOptions } from './sanitize.js';
import type { SanitizeRequest, SanitizerMessage } from './sanitizer-protocol.js';

/** Sanitizes a message's HTML for the reader's frame (sanitize.ts's policy), wherever it runs. */
export type SanitizeHtml = (html: string, options: SanitizeOptions) => Promise<SanitizedMessage>;

/** DOMPurify in this page, on its main thread (loaded when first needed). */
export const sanitizeInPage: SanitizeHtml = async (html, options) =>
  (await import('./sanitize.js')).sanitizeMessageHtml(html, options);

type Pending = {
  resolve: (message: SanitizedMessage) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
};

/**
 * The sanitizer frame as the page sees it: loading (requests wait), ready, or failed (its page did not
 * load — offline, where a sandboxed frame is never served by the service worker, or under a server that
 * does not serve sanitizer.html as the bridge does — and every request is sanitized in the page).
 */
type FrameState =
  | { readonly kind: 'loading'; readonly frame: HTMLIFrameElement; readonly waiting: Array<() => void> }
  | { readonly kind: 'ready'; readonly frame: HTMLIFrameElement }
  | { readonly kind: 'failed' };

/**
 * Sanitizes in a hidden frame loaded from `url` (the app's sanitizer.html) and sandboxed with
 * allow-scripts only: an opaque origin, which Chromium puts in a process of its own, so DOMPurify's
 * walk (about 50 µs an element at load 4 on 2 cores: 10,000 elements, 0.6–1.4 s) never runs on the
 * app's main thread. Where the frame cannot load, `fallback` (the page itself) does the work.
 */
export function sanitizerInFrame(
  url: URL,
  fallback: SanitizeHtml = sanitizeInPage,
  limits = { readyMs: mimeLimits.sanitizerReadyMs, timeoutMs: mimeLimits.parseTimeoutMs },
): SanitizeHtml {
  let state: FrameState | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const settle = (id: number): Pending | undefined => {
    const entry = pending.get(id);
    pending.delete(id);
    if (entry) clearTimeout(entry.timer);
    return entry;
  };

  const fail = () => {
    if (state?.kind === 'loading') {
      const { frame, waiting } = state;
      state = { kind: 'failed' };
      frame.remove();
      for (const resume of waiting) resume();
    }
  };

  const onMessage = (event: MessageEvent<SanitizerMessage>) => {
    if (!state || state.kind === 'failed' || event.source !== state.frame.contentWindow) return;
    const message = event.data;
    if (message.kind === 'ready') {
      if (state.kind !== 'loading') return;
      const { frame, waiting } = state;
      state = { kind: 'ready', frame };
      for (const resume of waiting) resume();
      return;
    }
    const entry = settle(message.id);
    if (!entry) return;
    if (message.kind === 'sanitized') {
      entry.resolve({ document: message.document, blockedRemote: message.blockedRemote });
    } else entry.reject(new Error(`the sanitizer failed: ${message.error}`));
  };

  const start = (): FrameState => {
    window.addEventListener('message', onMessage);
    const frame = document.createElement('iframe');
    frame.hidden = true;
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.title = 'sanitizer';
    frame.className = 'sanitizer-frame';
    frame.sandbox.value = 'allow-scripts';
    frame.referrerPolicy = 'no-referrer';
    // Loaded but silent (an error page, a refused script): it is not coming.
    frame.addEventListener('load', () => setTimeout(fail, limits.readyMs));
    setTimeout(fail, limits.timeoutMs);
    frame.src = url.href;
    document.body.append(frame);
    return { kind: 'loading', frame, waiting: [] };
  };

  const ready = async (): Promise<HTMLIFrameElement | undefined> => {
    state ??= start();
    const current = state;
    if (current.kind === 'loading') {
      await new Promise<void>((resume) => current.waiting.push(resume));
      return ready();
    }
    return current.kind === 'ready' ? current.frame : undefined;
  };

  return async (html, options) => {
    const frame = await ready();
    if (!frame?.contentWindow) return fallback(html, options);
    const target = frame.contentWindow;
    const id = nextId++;
    const request: SanitizeRequest = {
      id,
      html,
      allowRemote: options.allowRemote,
      inlineImages: [...(options.inlineImages ?? new Map<string, string>())],
      highlight: options.highlight ?? [],
    };
    return new Promise<SanitizedMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        settle(id)?.reject(new Error(`the sanitizer did not answer within ${limits.timeoutMs} ms`));
        // Still busy with it: the next message gets a fresh frame.
        if (state?.kind === 'ready' && state.frame === frame) {
          frame.remove();
          state = undefined;
        }
      }, limits.timeoutMs);
      pending.set(id, { resolve, reject, timer });
      // The frame's origin is opaque: '*' is the only target origin that reaches it.
      target.postMessage(request, '*');
    });
  };
}
