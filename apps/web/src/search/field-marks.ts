import type { SearchQuery } from './query.js';
import { searchLimits } from './limits.js';

/** Where a hit's words are marked: each shown field gets the terms of the query words that may match it. */
export interface FieldMarks {
  /** Words anywhere, and `from:`. */
  readonly sender: readonly string[];
  /** Words anywhere, and `subject:`. */
  readonly subject: readonly string[];
  /** Words anywhere only: the snippet, and the opened message's body. */
  readonly body: readonly string[];
}

/** Whether an index term is what a query word stood for: the word itself, or a term it is a prefix of. */
function standsFor(word: string, term: string): boolean {
  return term === word || (word.length >= searchLimits.minPrefixChars && term.startsWith(word));
}

/**
 * The hit's matched index terms split by field: a `from:bob` search marks "bob" in the sender, not
 * in the body or the subject; a word typed alone marks every field it is in.
 */
export function fieldMarks(query: SearchQuery, matched: readonly string[]): FieldMarks {
  const anywhere = [...query.words, ...query.phrases.flat()];
  const of = (words: readonly string[]) =>
    matched.filter((term) => words.some((word) => standsFor(word, term)));
  return {
    sender: of([...anywhere, ...query.from]),
    subject: of([...anywhere, ...query.subject]),
    body: of(anywhere),
  };
}

const cache = new WeakMap<readonly string[], WeakMap<SearchQuery, FieldMarks>>();

/** `fieldMarks`, once per query and matched-terms array (every hit of one search shares its array). */
export function fieldMarksOf(
  query: SearchQuery | undefined,
  matched: readonly string[] | undefined,
): FieldMarks | undefined {
  if (!query || !matched) return undefined;
  let byQuery = cache.get(matched);
  if (!byQuery) cache.set(matched, (byQuery = new WeakMap()));
  let marks = byQuery.get(query);
  if (!marks) byQuery.set(query, (marks = fieldMarks(query, matched)));
  return marks;
}
