// The sanitizer frame's script: DOMPurify runs here, in a frame sandboxed without allow-same-origin,
// so it has an opaque origin (nothing of the app's storage or DOM is reachable from it) and Chromium
// gives it a process of its own — the seconds a hostile message can cost DOMPurify are not spent on the
// app's main thread (sanitizer-client.ts).
import { sanitizeMessageHtml } from '../mime/sanitize.js';
import type { SanitizeRequest, SanitizerMessage } from '../mime/sanitizer-protocol.js';

const reply = (message: SanitizerMessage) => window.parent.postMessage(message, '*');

window.addEventListener('message', (event: MessageEvent<SanitizeRequest>) => {
  if (event.source !== window.parent) return;
  const { id, html, allowRemote, inlineImages, highlight } = event.data;
  try {
    const sanitized = sanitizeMessageHtml(html, {
      allowRemote,
      inlineImages: new Map(inlineImages),
      highlight,
    });
    reply({ kind: 'sanitized', id, ...sanitized });
  } catch (error) {
    reply({ kind: 'failed', id, error: error instanceof Error ? error.message : String(error) });
  }
});
reply({ kind: 'ready' });
