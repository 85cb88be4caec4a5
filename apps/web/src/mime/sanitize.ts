import DOMPurify from 'dompurify';
import { markWords } from '../search/mark-words.js';
import { messageContentSecurityPolicy } from './message-frame.js';

// The frame's policy and sandbox live with the reader's frame; re-exported for the sanitizer's tests.
export { dataUrl, messageContentSecurityPolicy, messageSandbox } from './message-frame.js';

export interface SanitizeOptions {
  /** Load remote images and CSS url()s (the user clicked "Show images"). */
  readonly allowRemote: boolean;
  /** Content-ID (without brackets) → data: URL of an inline part. */
  readonly inlineImages?: ReadonlyMap<string, string>;
  /** Folded search terms whose words are marked in the text (the search hit, issue 16). */
  readonly highlight?: readonly string[];
}

export interface SanitizedMessage {
  /** A whole HTML document for the iframe's srcdoc, with its own CSP. */
  readonly document: string;
  /** Remote resources removed (images, CSS url(), @import); 0 when allowRemote. */
  readonly blockedRemote: number;
}

const remoteUrl = /^\s*(?:https?:)?\/\//i;
const resourceAttributes = ['src', 'poster', 'background', 'lowsrc', 'dynsrc'];

/**
 * Whether a URL attribute loads an image (the only remote content "Show images" ever allows); media,
 * frames, embeds and tracks never load from the network, whatever the user allows.
 */
function loadsImage(element: Element, attribute: string): boolean {
  if (attribute === 'background' || attribute === 'poster') return true;
  const tag = element.nodeName.toLowerCase();
  if (tag === 'img') return true;
  return tag === 'input' && (element.getAttribute('type') ?? '').toLowerCase() === 'image';
}

/**
 * CSS escapes decoded (`\75 rl(` is `url(`), so the url()/image-set() rewriting below sees what the
 * browser would; invalid code points become U+FFFD.
 */
export function decodeCssEscapes(css: string): string {
  if (!css.includes('\\')) return css;
  return css
    .replace(/\\([0-9a-f]{1,6})[ \t\n\r\f]?/gi, (_match, hex: string) => {
      const code = parseInt(hex, 16);
      return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
        ? '\ufffd'
        : String.fromCodePoint(code);
    })
    .replace(/\\([^\n\r\f0-9a-f])/gi, '$1');
}

/** Base styles for the message document; the message's own styles come after and may override them. */
const baseStyle =
  'html{background:#fff;color:#111;color-scheme:light}' +
  'body{margin:0;padding:16px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;' +
  'overflow-wrap:anywhere}img{max-width:100%;height:auto}pre{white-space:pre-wrap}' +
  'img[data-webpop-blocked]{outline:1px dashed #999;min-width:16px;min-height:16px}' +
  'mark{background:#ffe066;color:#111}';

/**
 * Sanitizes a message's HTML with DOMPurify for display in a sandboxed iframe: scripts, event handlers,
 * javascript: URLs, forms' targets, base/meta/link, SVG and MathML go; links open in a new tab with
 * noopener/noreferrer; cid: images become data: URLs; remote images, srcsets, CSS url()s and @imports
 * are removed (and counted) unless allowRemote. The document's own CSP blocks whatever might slip
 * through.
 */
export function sanitizeMessageHtml(html: string, options: SanitizeOptions): SanitizedMessage {
  const purify = DOMPurify();
  const inline = options.inlineImages ?? new Map<string, string>();
  let blocked = 0;

  /** What a resource URL becomes: kept, replaced, or removed (undefined). Remote only for images. */
  const resource = (value: string, image = true): string | undefined => {
    const url = value.trim();
    if (/^cid:/i.test(url)) return inline.get(decodeCid(url.slice(4)));
    if (/^data:image\//i.test(url)) return url;
    if (remoteUrl.test(url)) {
      if (!image) return undefined;
      if (options.allowRemote) return url.startsWith('//') ? `https:${url}` : url;
      blocked++;
      return undefined;
    }
    return undefined; // relative URLs would resolve against the app; other schemes have no place here
  };

  // In CSS, url() and image-set() load images (backgrounds, list markers, cursors); @import loads a
  // style sheet, which is never allowed. The document's CSP (no font-src, no style-src but inline)
  // stops anything that slips past.
  const rewriteCss = (css: string): string => {
    let out = decodeCssEscapes(css).replace(/@import\s+[^;]+;?/gi, () => {
      if (!options.allowRemote) blocked++;
      return '';
    });
    out = out.replace(/url\(\s*(['"]?)(.*?)\1\s*\)/gi, (_match, _quote: string, url: string) => {
      const kept = resource(url);
      return kept === undefined ? 'none' : `url("${kept.replace(/["\\\n\r]/g, encodeURIComponent)}")`;
    });
    out = out.replace(/(?:-webkit-)?image-set\(([^()]*(?:\([^()]*\)[^()]*)*)\)/gi, (whole, inner: string) => {
      const bare = [...inner.matchAll(/(['"])(.*?)\1/g)].map((match) => match[2] ?? '');
      return bare.every((url) => resource(url) !== undefined) ? whole : 'none';
    });
    return out;
  };

  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && node.textContent) node.textContent = rewriteCss(node.textContent);
  });

  purify.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    if (typeof element.getAttribute !== 'function') return;
    for (const name of resourceAttributes) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      const image = loadsImage(element, name);
      const kept = resource(value, image);
      if (kept === undefined) {
        element.removeAttribute(name);
        if (image && remoteUrl.test(value)) element.setAttribute('data-webpop-blocked', '');
      } else if (kept !== value) {
        element.setAttribute(name, kept);
      }
    }
    const srcset = element.getAttribute('srcset');
    if (srcset !== null) {
      const candidates = srcset.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '');
      if (!options.allowRemote || !candidates.every((url) => remoteUrl.test(url))) {
        if (candidates.some((url) => remoteUrl.test(url)) && !options.allowRemote) blocked++;
        element.removeAttribute('srcset');
      }
    }
    const style = element.getAttribute('style');
    if (style !== null && /url\(|@import|image-set|\\/i.test(style))
      element.setAttribute('style', rewriteCss(style));
    if (element.hasAttribute('href')) {
      const href = (element.getAttribute('href') ?? '').trim();
      if (href.startsWith('#')) {
        element.removeAttribute('target');
      } else if (/^(?:https?:|mailto:|tel:|\/\/)/i.test(href)) {
        if (href.startsWith('//')) element.setAttribute('href', `https:${href}`);
        element.setAttribute('target', '_blank');
        element.setAttribute('rel', 'noopener noreferrer');
      } else {
        // Relative links would resolve against the app itself (a message has no base of its own).
        element.removeAttribute('href');
        element.removeAttribute('target');
      }
    }
    if (element.hasAttribute('action')) element.removeAttribute('action');
    if (element.hasAttribute('formaction')) element.removeAttribute('formaction');
  });

  const root = purify.sanitize(html, {
    WHOLE_DOCUMENT: true,
    RETURN_DOM: true,
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['base', 'meta', 'link', 'form', 'template', 'slot', 'dialog'],
    FORBID_ATTR: ['ping', 'srcdoc', 'autofocus'],
  }) as HTMLElement;

  const doc = root.ownerDocument;
  const htmlElement = root.nodeName === 'HTML' ? root : doc.documentElement;
  // After sanitizing: only text is split and bare <mark>s added (mark-words.ts).
  if (options.highlight?.length) {
    const body = htmlElement.querySelector('body');
    if (body) markWords(body, new Set(options.highlight));
  }
  let head = htmlElement.querySelector('head');
  if (!head) {
    head = doc.createElement('head');
    htmlElement.prepend(head);
  }
  const meta = (attributes: Record<string, string>) => {
    const element = doc.createElement('meta');
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  };
  const base = doc.createElement('style');
  base.textContent = baseStyle;
  head.prepend(
    meta({ charset: 'utf-8' }),
    meta({
      'http-equiv': 'Content-Security-Policy',
      content: messageContentSecurityPolicy(options.allowRemote),
    }),
    meta({ name: 'referrer', content: 'no-referrer' }),
    base,
  );
  return { document: `<!doctype html>\n${htmlElement.outerHTML}`, blockedRemote: blocked };
}

function decodeCid(value: string): string {
  const trimmed = value.trim().replace(/^<|>$/g, '');
  try {
    return decodeURIComponent(trimmed);
  } catch {
    return trimmed;
  }
}
