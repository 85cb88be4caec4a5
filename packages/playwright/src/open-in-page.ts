import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FrameLocator, Page } from '@playwright/test';
import { MessageContentError } from './errors.js';
import { describePattern, type TextPattern } from './text-pattern.js';

export interface OpenMessageOptions {
  /** Load remote images (default false: blocked by the frame's Content-Security-Policy, as in a mail client). */
  readonly images?: boolean;
}

/** What `open` renders: the message's HTML, or its text as a `<pre>` when it has none. */
export interface RenderableMessage {
  readonly subject: string;
  readonly html: string | undefined;
  readonly text: string;
}

/** The frame the message is shown in, by its name in the page. */
export const messageFrameName = 'webpop-message';

let purifySource: Promise<string> | undefined;

/** DOMPurify's browser build, read once from the installed package (it runs in the test's page). */
function domPurifySource(): Promise<string> {
  purifySource ??= readFile(createRequire(import.meta.url).resolve('dompurify/dist/purify.min.js'), 'utf8');
  return purifySource;
}

/**
 * Shows the message in `page` the way a careful mail client does: the HTML sanitized by DOMPurify,
 * in a sandboxed frame (no scripts, no forms, no same-origin access), remote content blocked by the
 * frame's CSP unless `images`, and links opening in the top page, so clicking the call-to-action
 * navigates the test's page to your app. The page is first navigated to about:blank.
 */
export async function openInPage(
  message: RenderableMessage,
  page: Page,
  options: OpenMessageOptions = {},
): Promise<FrameLocator> {
  await page.goto('about:blank');
  await page.setContent(
    '<!doctype html><html><head><meta charset="utf-8"><title></title></head>' +
      '<body style="margin:0"><iframe style="border:0;width:100%;height:100vh"></iframe></body></html>',
  );
  await page.addScriptTag({ content: await domPurifySource() });
  await page.evaluate(renderInFrame, {
    name: messageFrameName,
    subject: message.subject,
    html: message.html ?? `<pre style="white-space:pre-wrap">${escapeHtml(message.text)}</pre>`,
    images: options.images ?? false,
  });
  return page.frameLocator(`iframe[name="${messageFrameName}"]`);
}

interface RenderRequest {
  readonly name: string;
  readonly subject: string;
  readonly html: string;
  readonly images: boolean;
}

/** The little of the DOM the page-side function uses (the package compiles without the DOM lib). */
interface PageGlobals {
  readonly DOMPurify: { sanitize(html: string, config: object): string };
  readonly document: {
    title: string;
    querySelector(selector: string): FrameElement | null;
  };
}

interface FrameElement {
  name: string;
  title: string;
  srcdoc: string;
  setAttribute(name: string, value: string): void;
  addEventListener(type: 'load', listener: () => void, options: { once: boolean }): void;
}

/** Runs in the page: sanitize, then load the result into the sandboxed frame. */
function renderInFrame({ name, subject, html, images }: RenderRequest): Promise<void> {
  const { DOMPurify, document } = globalThis as unknown as PageGlobals;
  const clean = DOMPurify.sanitize(html, { FORBID_TAGS: ['form'], FORBID_ATTR: ['target'] });
  const policy = `default-src 'none'; style-src 'unsafe-inline'; img-src ${images ? 'https: http: data:' : 'data:'}`;
  document.title = subject;
  const frame = document.querySelector('iframe')!;
  frame.name = name;
  frame.title = `Message: ${subject}`;
  // No allow-scripts, allow-forms or allow-same-origin: the mail can only be looked at and its links followed.
  frame.setAttribute('sandbox', 'allow-top-navigation-by-user-activation allow-popups');
  return new Promise((resolve) => {
    frame.addEventListener('load', () => resolve(), { once: true });
    frame.srcdoc =
      `<!doctype html><html><head><meta charset="utf-8">` +
      `<meta http-equiv="Content-Security-Policy" content="${policy}">` +
      `<base target="_top"></head><body>${clean}</body></html>`;
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Clicks the link or button called `name` (its accessible name: a string as a substring, case-
 * insensitive; a RegExp as it is) in the message shown by `openInPage`; fails listing what is there.
 */
export async function clickInMessage(frame: FrameLocator, name: TextPattern): Promise<void> {
  const target = frame.getByRole('link', { name }).or(frame.getByRole('button', { name })).first();
  if ((await target.count()) === 0) {
    const links = await frame.getByRole('link').allInnerTexts();
    throw new MessageContentError(
      `message.click: no link or button ${describePattern(name)} in the message. Its links: ` +
        (links.length > 0 ? links.map((text) => JSON.stringify(text.trim())).join(', ') : '(none)'),
    );
  }
  await target.click();
}
