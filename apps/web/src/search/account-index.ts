import { searchLimits } from './limits.js';

/** A message as the index sees it: the text of each searched field, and what the filters need. */
export interface SearchDocument {
  /** The UIDL. */
  readonly id: string;
  readonly subject: string;
  readonly from: string;
  /** To and Cc. */
  readonly to: string;
  readonly body: string;
  /** The attachments' file names. */
  readonly attachments: string;
  readonly date: number | undefined;
  readonly size: number;
  readonly hasAttachment: boolean;
  /** Only the headers are here: searched by sender and subject only. */
  readonly headersOnly: boolean;
  /** The first words of the text, for the list's snippet line. */
  readonly snippet: string;
}

/** What an index is asked (query.ts's SearchQuery without its problems; local state and phrases are answered by the caller). */
export interface IndexQuery {
  /** Folded terms matched anywhere (subject, sender, recipients, body, attachment names). */
  readonly words: readonly string[];
  /** Quoted phrases: folded terms that must follow each other. */
  readonly phrases: readonly (readonly string[])[];
  readonly from: readonly string[];
  /** To and Cc. */
  readonly to: readonly string[];
  readonly subject: readonly string[];
  readonly hasAttachment: boolean;
  /** `is:unread` (true), `is:read` (false). */
  readonly unread: boolean | undefined;
  readonly starred: boolean | undefined;
  /** `in:` — a folder name (the mail store's Folder). */
  readonly folder: string | undefined;
  /** Sent before the start of this day, UTC (ms since the epoch). */
  readonly before: number | undefined;
  /** Sent on or after the start of this day (or month, or year), UTC. */
  readonly after: number | undefined;
  /** Bytes: larger than this. */
  readonly largerThan: number | undefined;
}

/** Nothing to match or filter: the box is empty (or only spaces and punctuation). */
export function isEmptyQuery(query: IndexQuery): boolean {
  return (
    query.words.length === 0 &&
    query.phrases.length === 0 &&
    query.from.length === 0 &&
    query.to.length === 0 &&
    query.subject.length === 0 &&
    !query.hasAttachment &&
    query.unread === undefined &&
    query.starred === undefined &&
    query.folder === undefined &&
    query.before === undefined &&
    query.after === undefined &&
    query.largerThan === undefined
  );
}

/** One message found: ranked by `score` (subject and sender weighted), with the terms that matched. */
export interface SearchHit {
  readonly uid: string;
  readonly score: number;
  /** Folded index terms that matched (for highlighting: a shown word whose folding is one of them). */
  readonly terms: readonly string[];
  readonly headersOnly: boolean;
  readonly hasAttachment: boolean;
  readonly snippet: string;
}

/** The list's extra line of a message and its attachment mark. */
export interface MessageSummary {
  readonly snippet: string;
  readonly hasAttachment: boolean;
}

/** The searched fields, in the order both engines number them. */
export const FIELDS = ['subject', 'from', 'to', 'body', 'attachments'] as const;
export type Field = (typeof FIELDS)[number];
/** A word in the subject counts three times one in the body; in the sender twice (measured by eye on the demo mailbox). */
export const BOOST: Record<Field, number> = { subject: 3, from: 2, to: 1, body: 1, attachments: 1.5 };

/** What an index keeps of each message beside its terms: the filters' facts and the list's line. */
export interface Stored extends Pick<
  SearchDocument,
  'date' | 'size' | 'hasAttachment' | 'headersOnly' | 'snippet'
> {
  readonly uid: string;
  /** What the message was indexed from (signatureOf): a sync indexes it again when this changes. */
  readonly signature: string;
}

export function storedOf(document: SearchDocument, signature: string): Stored {
  const { id: uid, date, size, hasAttachment, headersOnly, snippet } = document;
  return { uid, signature, date, size, hasAttachment, headersOnly, snippet };
}

/** One word of a query: the fields it may match in, and whether longer terms starting with it count. */
export interface QueryWord {
  readonly term: string;
  readonly fields: readonly Field[];
  readonly prefix: boolean;
}

/** The words of a query with where each may match (free words and phrases' words anywhere). */
export function queryWords(query: IndexQuery): QueryWord[] {
  const word = (term: string, fields: readonly Field[]): QueryWord => ({
    term,
    fields,
    prefix: term.length >= searchLimits.minPrefixChars,
  });
  return [
    ...[...query.words, ...query.phrases.flat()].map((term) => word(term, FIELDS)),
    ...query.from.map((term) => word(term, ['from'])),
    ...query.to.map((term) => word(term, ['to'])),
    ...query.subject.map((term) => word(term, ['subject'])),
  ].slice(0, searchLimits.maxQueryWords);
}

/** The query's content filters (has:attachment, before:, after:, larger:) as a test of what is stored. */
export function contentFilter(query: IndexQuery): (stored: Stored) => boolean {
  return (stored) => {
    if (query.hasAttachment && !stored.hasAttachment) return false;
    if (query.largerThan !== undefined && !(stored.size > query.largerThan)) return false;
    if (query.before !== undefined && !(stored.date !== undefined && stored.date < query.before))
      return false;
    if (query.after !== undefined && !(stored.date !== undefined && stored.date >= query.after)) return false;
    return true;
  };
}

export function hitOf(stored: Stored, score: number, terms: readonly string[]): SearchHit {
  const { uid, headersOnly, hasAttachment, snippet } = stored;
  return { uid, score, terms, headersOnly, hasAttachment, snippet };
}

/** Filters alone (only local state or dates asked for): every message that passes, newest first. */
export function newestFirst(
  all: Iterable<Stored>,
  accept: (stored: Stored) => boolean,
  limit: number,
): SearchHit[] {
  const passing = [...all].filter(accept);
  passing.sort((a, b) => (b.date ?? 0) - (a.date ?? 0));
  return passing.slice(0, limit).map((stored) => hitOf(stored, 0, []));
}

/**
 * The best `limit` of `count` candidates (`slots[0..count)`) by `scores[slot]`, best first. Only
 * those become objects to sort: the limit's score is found first by selection over the scores
 * (sorting 43,000 result objects took most of a query at 100,000 messages; a numeric sort of all
 * scores was then 13% of the slowest queries' CPU profile at 100,000).
 */
export function bestSlots(
  slots: Uint32Array,
  count: number,
  scores: Float64Array,
  limit: number,
): Array<{ readonly slot: number; readonly score: number }> {
  let threshold = -Infinity;
  if (count > limit) {
    const ranked = new Float64Array(count);
    for (let i = 0; i < count; i++) ranked[i] = scores[slots[i]!]!;
    threshold = kthSmallest(ranked, count - limit);
  }
  const found: Array<{ slot: number; score: number }> = [];
  for (let i = 0; i < count; i++) {
    const slot = slots[i]!;
    if (scores[slot]! >= threshold) found.push({ slot, score: scores[slot]! });
  }
  found.sort((a, b) => b.score - a.score);
  if (found.length > limit) found.length = limit;
  return found;
}

/** The value that would stand at `k` (0-based) if `values` were sorted ascending (reorders `values`; Hoare's selection). */
export function kthSmallest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else break;
  }
  return values[k]!;
}

/** The list's line of a message, undefined when it has nothing to show (no snippet, no attachment). */
export function summaryOf(stored: Stored | undefined): MessageSummary | undefined {
  if (!stored || (!stored.snippet && !stored.hasAttachment)) return undefined;
  return { snippet: stored.snippet, hasAttachment: stored.hasAttachment };
}

export function headersOnlyIn(all: Iterable<Stored>): number {
  let count = 0;
  for (const stored of all) if (stored.headersOnly) count++;
  return count;
}

/** One account's full-text index, whichever engine keeps it (search-index.ts; test/support/flex-index.ts is the FlexSearch one measured beside it). */
export interface AccountIndex {
  readonly size: number;
  uids(): IterableIterator<string>;
  signature(uid: string): string | undefined;
  /** Adds a message, or replaces what was indexed for it. */
  put(document: SearchDocument, signature: string): void;
  remove(uid: string): void;
  /** What the list shows of a message beyond its headers: the snippet line and the attachment mark (undefined: nothing, or not indexed). */
  summary(uid: string): MessageSummary | undefined;
  /** How many indexed messages are headers only. */
  headersOnlyCount(): number;
  /**
   * The messages matching the query's words, phrases' words and field words (each a prefix) and its
   * content filters, best first. Local state (is:, in:) and phrases are the caller's.
   */
  search(query: IndexQuery, limit?: number): SearchHit[];
  save(): Promise<SavedIndex>;
}

/** The saved form, as IndexedDB keeps it (structured clone). `format` names the engine and its version. */
export interface SavedIndex {
  readonly format: number;
  readonly index: unknown;
}

/** An engine: a new index, or one from its saved form (undefined when saved by another engine or version: rebuild). */
export interface IndexEngine {
  readonly name: string;
  create(): AccountIndex;
  load(saved: SavedIndex): AccountIndex | undefined;
}
