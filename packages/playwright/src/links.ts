/**
 * The links of a message in the order they appear: every `href` of the HTML part (entities decoded),
 * then the http(s) URLs of the text part that the HTML did not already have. Anchors (`#…`), `cid:`
 * and `javascript:` references are left out; duplicates are dropped.
 */
export function extractLinks(html: string | undefined, text: string | undefined): string[] {
  const links = new Set<string>();
  for (const href of html ? htmlHrefs(html) : []) {
    if (href && !/^(#|cid:|javascript:)/i.test(href)) links.add(href);
  }
  for (const url of text ? textUrls(text) : []) links.add(url);
  return [...links];
}

const hrefAttribute = /<(?:a|area)\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;

function htmlHrefs(html: string): string[] {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  return [...withoutComments.matchAll(hrefAttribute)].map((match) =>
    decodeHtmlEntities((match[1] ?? match[2] ?? match[3] ?? '').trim()),
  );
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
