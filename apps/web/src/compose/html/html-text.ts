import { quote } from '../fields.js';

// The formatted editor's two conversions: plain text to HTML (switching to "Formatted text") and the
// text/plain alternative derived from the HTML (sending, saving, switching back to plain text).

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Spaces HTML would collapse (leading, trailing, runs) kept as no-break spaces: `-- ` stays `-- `. */
const keepSpaces = (line: string) =>
  escapeHtml(line).replace(/^ +| +$| (?= )/g, (spaces) => '&nbsp;'.repeat(spaces.length));

/**
 * Plain text as HTML: paragraphs (blank lines between them) of lines joined by `<br>`, and each run
 * of `>`-quoted lines (a reply's quote) a `<blockquote>` holding the text without one level of `>`.
 */
export function textToHtml(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  let quoted: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.map(keepSpaces).join('<br>')}</p>`);
    paragraph = [];
  };
  const endQuote = () => {
    if (quoted.length > 0) out.push(`<blockquote>${textToHtml(quoted.join('\n'))}</blockquote>`);
    quoted = [];
  };
  for (const line of lines) {
    if (line.startsWith('>')) {
      endParagraph();
      quoted.push(line.replace(/^> ?/, ''));
    } else {
      endQuote();
      if (line.trim() === '') endParagraph();
      else paragraph.push(line);
    }
  }
  endParagraph();
  endQuote();
  return out.join('');
}

/** Elements that begin a line of their own; those in `PARAGRAPHS` also stand between blank lines. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
const PARAGRAPHS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'pre', 'table', 'hr']);
const SKIPPED = new Set(['head', 'script', 'style', 'template', 'title', 'noscript']);

/** A line as read: HTML's collapsed white space trimmed at its ends, no-break spaces as spaces. */
const clean = (line: string) => line.replace(/^ +| +$/g, '').replace(/\u00a0/g, ' ');

/** A link as `text <url>` (the URL alone when it is its text, or a `mailto:` of it). */
function linkText(label: string, href: string): string {
  const url = href.trim();
  const shown = clean(label);
  if (url === '' || /^#/.test(url)) return label;
  if (shown === '' || shown === url || `mailto:${shown}` === url) return shown || url;
  return `${label} <${url}>`;
}

/** The lines of an element's content. */
function linesOf(parent: Node, pre = false): string[] {
  const lines: string[] = [];
  let inline = '';
  let hasInline = false;
  let gap = false;
  const emit = (block: readonly string[]) => {
    if (gap && lines.length > 0 && block.length > 0) lines.push('');
    if (block.length > 0) gap = false;
    lines.push(...block);
  };
  const endInline = () => {
    if (hasInline) emit(pre ? inline.split('\n') : [clean(inline)]);
    inline = '';
    hasInline = false;
  };
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) {
        const data = (child as Text).data;
        const text = pre ? data : data.replace(/[ \t\n\r\f]+/g, ' ');
        if (hasInline || text.trim() !== '' || /\u00a0/.test(text)) {
          inline += hasInline || pre ? text : text.replace(/^ /, '');
          hasInline = true;
        }
        continue;
      }
      if (child.nodeType !== 1) continue;
      const element = child as Element;
      const tag = element.nodeName.toLowerCase();
      if (SKIPPED.has(tag)) continue;
      if (tag === 'br') {
        emit(hasInline ? (pre ? inline.split('\n') : [clean(inline)]) : ['']);
        inline = '';
        hasInline = false;
      } else if (tag === 'a') {
        inline += linkText(linesOf(element).join(' '), element.getAttribute('href') ?? '');
        hasInline = true;
      } else if (tag === 'img') {
        const alt = element.getAttribute('alt') ?? '';
        if (alt !== '') {
          inline += alt;
          hasInline = true;
        }
      } else if (BLOCKS.has(tag)) {
        endInline();
        const paragraph = PARAGRAPHS.has(tag);
        if (paragraph) gap = true;
        emit(blockLines(element, tag, pre));
        if (paragraph) gap = true;
      } else walk(element);
    }
  };
  walk(parent);
  endInline();
  return lines;
}

function blockLines(element: Element, tag: string, pre: boolean): string[] {
  if (tag === 'hr') return ['----'];
  if (tag === 'pre') return linesOf(element, true);
  if (tag === 'blockquote') {
    const inner = linesOf(element, pre);
    return inner.length === 0 ? [] : quote(inner.join('\n')).split('\n');
  }
  if (tag === 'ul' || tag === 'ol') {
    const start = Number(element.getAttribute('start') ?? '1');
    let number = Number.isFinite(start) ? start : 1;
    const out: string[] = [];
    for (const item of element.children) {
      const itemTag = item.nodeName.toLowerCase();
      // A list nested straight in a list (what Chromium's indenting makes) is indented, unmarked.
      const nested = itemTag === 'ul' || itemTag === 'ol';
      const inner = nested ? blockLines(item, itemTag, pre) : linesOf(item, pre);
      if (inner.length === 0) continue;
      if (nested) {
        out.push(...inner.map((line) => (line === '' ? '' : `  ${line}`)));
        continue;
      }
      const marker = tag === 'ul' ? '- ' : `${number++}. `;
      const indent = ' '.repeat(marker.length);
      out.push(...inner.map((line, index) => (index === 0 ? marker : line === '' ? '' : indent) + line));
    }
    return out;
  }
  return linesOf(element, pre);
}

/**
 * The text/plain alternative of composed HTML, as a reader of the plain part should see it: a line
 * for each block, blank lines around paragraphs, list items as `- ` or `1. `, links as `text <url>`,
 * quotes with `> ` (nested `>>`), images by their alt text; no trailing blank lines.
 */
export function htmlToText(html: string): string {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  const lines = linesOf(body);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Whether the HTML holds more than plain text keeps: anything but paragraphs, lines and quotes. */
export function losesFormatting(html: string): boolean {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  return body.querySelector(':not(p, div, br, blockquote)') !== null;
}
