import type { SanitizeHtml } from '../../mime/sanitizer-client.js';

/** What the sanitizer keeps for a message's reader but has no place in the editor or in mail sent. */
const DROPPED_ELEMENTS = 'style, input, button, select, textarea, option, img:not([src])';
/**
 * Styling and hooks into the app's own CSS (the editor is in the app's page, not a frame), and the
 * reader's new-tab `target`/`rel` on links (how a link opens is the recipient's reader's business).
 */
const DROPPED_ATTRIBUTES = ['id', 'class', 'style', 'data-webpop-blocked', 'target', 'rel'];

/**
 * Composed or pasted HTML made safe for the editor, a draft and sending: through the same sanitizer
 * as received mail (`mime/sanitize.ts`, in the sanitizer frame where it runs), remote content
 * blocked, then the body alone, without style sheets, inline styles, ids, classes, form controls,
 * comments and the images left without a source (remote or relative: the sanitizer removed it).
 * Structure, links and data: images stay.
 */
export async function safeComposeHtml(html: string, sanitize: SanitizeHtml): Promise<string> {
  if (html.trim() === '') return '';
  const { document: sanitized } = await sanitize(html, { allowRemote: false });
  const body = new DOMParser().parseFromString(sanitized, 'text/html').body;
  for (const element of body.querySelectorAll(DROPPED_ELEMENTS)) element.remove();
  for (const element of body.querySelectorAll('*')) {
    for (const name of DROPPED_ATTRIBUTES) element.removeAttribute(name);
  }
  const comments = body.ownerDocument.createTreeWalker(body, 128 /* NodeFilter.SHOW_COMMENT */);
  const found: Node[] = [];
  while (comments.nextNode()) found.push(comments.currentNode);
  for (const comment of found) comment.parentNode?.removeChild(comment);
  return body.innerHTML;
}

/** The text/html part sent: the safe body in a minimal UTF-8 document. */
export function htmlDocument(body: string): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"></head><body>${body}</body></html>\n`;
}
