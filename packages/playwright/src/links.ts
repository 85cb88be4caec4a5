/** A link of a message: its URL and, for HTML links, what they show (tags dropped, spaces collapsed). */
export interface MessageLink {
  readonly url: string;
  /** Per HTML link to the URL: its words, else the `alt` of an image in it, else its `title`. Empty for a text URL. */
  readonly texts: readonly string[];
}

/**
 * The links of a message in the order they appear: every `href` of the HTML part (entities decoded),
 * then the http(s) URLs of the text part that the HTML did not already have. Anchors (`#…`), `cid:`
 * and `javascript:` references are left out; duplicates are dropped.
 */
export function extractLinks(html: string | undefined, text: string | undefined): string[] {
  return extractMessageLinks(html, text).map((link) => link.url);
}

/** As extractLinks, with the texts of the HTML links to each URL. */
export function extractMessageLinks(html: string | undefined, text: string | undefined): MessageLink[] {
  const links = new Map<string, string[]>();
  for (const anchor of html ? htmlAnchors(html) : []) {
    if (!anchor.url || /^(#|cid:|javascript:)/i.test(anchor.url)) continue;
    const texts = links.get(anchor.url) ?? [];
    if (anchor.text && !texts.includes(anchor.text)) texts.push(anchor.text);
    links.set(anchor.url, texts);
  }
  for (const url of text ? textUrls(text) : []) if (!links.has(url)) links.set(url, []);
  return [...links].map(([url, texts]) => ({ url, texts }));
}

const startTag = /<(a|area)\b([^>]*)>/gi;
const hrefAttribute = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

/** Every <a>/<area> with an href: its URL and what it shows (an <a>'s content up to its end tag). */
function htmlAnchors(html: string): Array<{ url: string; text: string }> {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  const anchors: Array<{ url: string; text: string }> = [];
  for (const match of withoutComments.matchAll(startTag)) {
    const attributes = ` ${match[2] ?? ''}`;
    const href = hrefAttribute.exec(attributes);
    if (!href) continue;
    let inner = '';
    if (match[1]!.toLowerCase() === 'a') {
      const start = match.index + match[0].length;
      const end = withoutComments.slice(start).search(/<\/a\s*>/i);
      inner = end === -1 ? '' : withoutComments.slice(start, start + end);
    }
    anchors.push({
      url: decodeHtmlEntities((href[1] ?? href[2] ?? href[3] ?? '').trim()),
      text: textOf(inner) || attributeOf(inner, 'alt') || attributeOf(attributes, 'title'),
    });
  }
  return anchors;
}

function textOf(html: string): string {
  return decodeHtmlEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

function attributeOf(html: string, name: string): string {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(html);
  return match ? decodeHtmlEntities(match[1] ?? match[2] ?? '').trim() : '';
}

const urlInText = /\bhttps?:\/\/[^\s<>"'`]+/gi;

function textUrls(text: string): string[] {
  return [...text.matchAll(urlInText)].map((match) => trimTrailingPunctuation(match[0]));
}

/** `https://x.test/a).` → `https://x.test/a`; balanced brackets inside the URL are kept. */
function trimTrailingPunctuation(url: string): string {
  let result = url;
  while (true) {
    const last = result.at(-1);
    if (last === undefined) return result;
    if ('.,;:!?\'"*'.includes(last)) {
      result = result.slice(0, -1);
      continue;
    }
    const opening = { ')': '(', ']': '[', '}': '{' }[last];
    if (opening !== undefined && count(result, opening) < count(result, last)) {
      result = result.slice(0, -1);
      continue;
    }
    return result;
  }
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

const namedEntities: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Numeric entities and the few named ones that occur in URLs. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#[0-9]+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return namedEntities[name.toLowerCase()] ?? entity;
  });
}
