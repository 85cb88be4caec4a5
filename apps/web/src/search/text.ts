/**
 * The one text folding of search, used when indexing and when querying, so both sides agree: lower
 * case, diacritics removed (Grüße → grusse, Café → cafe, ёлка → елка), ß → ss; й keeps its breve
 * (in Russian it is a letter of its own, not и with a mark).
 */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  // Most mail is ASCII: nothing to decompose (measured: normalizing every body tripled index time).
  if (!NOT_ASCII.test(lower)) return lower;
  return lower.normalize('NFKD').replace(MARKS, '').normalize('NFC').replace(/ß/g, 'ss');
}

const NOT_ASCII = /[^ -~\t\r\n]/;
/** Combining marks, but not the breve of й (и + U+0306). */
const MARKS = /(?!(?<=и)\u0306)\p{M}/gu;

/** Letters and digits in a row: what an index term is (an address gives its parts: alice, example, com). */
const WORD = /[\p{L}\p{N}]+/gu;

/** The folded terms of a text, in order. */
export function terms(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** A word of the original text with where it is, for highlighting the hit in what is shown. */
export interface WordSpan {
  readonly start: number;
  readonly end: number;
  readonly folded: string;
}

export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const match of text.matchAll(WORD)) {
    spans.push({ start: match.index, end: match.index + match[0].length, folded: fold(match[0]) });
  }
  return spans;
}
