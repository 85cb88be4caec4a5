import { wordSpans } from './text.js';

/** Elements whose text is not shown as text (or must stay as typed): never marked. */
const UNMARKED = new Set(['STYLE', 'SCRIPT', 'TEXTAREA', 'TITLE', 'NOSCRIPT', 'OPTION', 'MARK']);

/**
 * Wraps the words of `root`'s text whose folding is one of `terms` in <mark> (the hit of a search,
 * in an already sanitized document): only text nodes are split and only attribute-less <mark>
 * elements are added, so nothing the sanitizer removed can come back. Returns how many were marked.
 */
export function markWords(root: Element, terms: ReadonlySet<string>, limit = 1_000): number {
  if (terms.size === 0) return 0;
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!UNMARKED.has(node.parentElement?.nodeName ?? '')) texts.push(node as Text);
  }
  let marked = 0;
  for (const node of texts) {
    const text = node.data;
    const hits = wordSpans(text).filter((span) => terms.has(span.folded));
    if (hits.length === 0) continue;
    const parts = doc.createDocumentFragment();
    let at = 0;
    for (const span of hits) {
      if (marked >= limit) break;
      if (span.start > at) parts.append(text.slice(at, span.start));
      const mark = doc.createElement('mark');
      mark.textContent = text.slice(span.start, span.end);
      parts.append(mark);
      at = span.end;
      marked++;
    }
    if (at < text.length) parts.append(text.slice(at));
    node.replaceWith(parts);
    if (marked >= limit) break;
  }
  return marked;
}
