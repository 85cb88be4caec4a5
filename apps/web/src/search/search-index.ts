import type { SearchDocument } from './document.js';
import { searchLimits } from './limits.js';
import { Postings, type QueryTerm, type SavedPostings } from './postings.js';
import { isEmptyQuery, type SearchQuery } from './query.js';
import { terms } from './text.js';

/** One message found: ranked by `score` (BM25, subject and sender weighted), with the terms that matched. */
export interface SearchHit {
  readonly uid: string;
  readonly score: number;
  /** Folded index terms that matched (for highlighting: a shown word whose folding starts with one). */
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

const FIELDS = ['subject', 'from', 'to', 'body', 'attachments'] as const;
type Field = (typeof FIELDS)[number];
const ALL_FIELDS = FIELDS.map((_, at) => at);
const fieldNumber = (field: Field): number => FIELDS.indexOf(field);
/** A word in the subject counts three times one in the body; in the sender twice (measured by eye on the demo mailbox). */
const BOOST: Record<Field, number> = { subject: 3, from: 2, to: 1, body: 1, attachments: 1.5 };
const BOOSTS = FIELDS.map((field) => BOOST[field]);

/** What the index keeps of each message beside its terms: the filters' facts and the list's line. */
interface Stored extends Pick<SearchDocument, 'date' | 'size' | 'hasAttachment' | 'headersOnly' | 'snippet'> {
  readonly uid: string;
  /** What the message was indexed from (signatureOf): a sync indexes it again when this changes. */
  readonly signature: string;
}

/**
 * Bumped when the saved form or the documents change shape: an index saved by another version is
 * rebuilt from the store (1: MiniSearch's JSON; 2: postings.ts's typed arrays).
 */
export const INDEX_FORMAT = 2;

/** The saved form, as IndexedDB keeps it (structured clone: the typed arrays as they are). */
export interface SavedIndex {
  readonly format: number;
  readonly index: SavedPostings<Stored>;
}

/**
 * The full-text index of one account (postings.ts, chosen by `pnpm bench search` over MiniSearch,
 * FlexSearch and Orama, see BENCHMARKS.md): documents by UIDL, each with the signature of what it
 * was made from, so a sync indexes only what changed. Quoted phrases are checked by the caller
 * (hasPhrases) against the texts kept beside the index; everything else of a SearchQuery is
 * answered here.
 */
export class SearchIndex {
  private readonly slots = new Map<string, number>();

  private constructor(private readonly postings: Postings<Stored>) {
    this.findSlots();
  }

  private findSlots(): void {
    this.slots.clear();
    for (const [slot, stored] of this.postings.entries()) this.slots.set(stored.uid, slot);
  }

  static create(): SearchIndex {
    return new SearchIndex(new Postings<Stored>(FIELDS.length, BOOSTS));
  }

  /** A saved index, or undefined when it is of another format (then the caller rebuilds). */
  static load(saved: SavedIndex): SearchIndex | undefined {
    if (saved.format !== INDEX_FORMAT || saved.index?.fieldCount !== FIELDS.length) return undefined;
    return new SearchIndex(Postings.load(saved.index, BOOSTS));
  }

  save(): SavedIndex {
    if (this.postings.compact()) this.findSlots();
    return { format: INDEX_FORMAT, index: this.postings.save() };
  }

  get size(): number {
    return this.postings.size;
  }

  uids(): IterableIterator<string> {
    return this.slots.keys();
  }

  signature(uid: string): string | undefined {
    const slot = this.slots.get(uid);
    return slot === undefined ? undefined : this.postings.payload(slot)?.signature;
  }

  /** Adds a message, or replaces what was indexed for it. */
  put(document: SearchDocument, signature: string): void {
    this.remove(document.id);
    const { id: uid, date, size, hasAttachment, headersOnly, snippet } = document;
    const slot = this.postings.add(
      FIELDS.map((field) => terms(document[field])),
      { uid, signature, date, size, hasAttachment, headersOnly, snippet },
    );
    this.slots.set(uid, slot);
  }

  remove(uid: string): void {
    const slot = this.slots.get(uid);
    if (slot === undefined) return;
    this.slots.delete(uid);
    this.postings.remove(slot);
    if (this.postings.wasteful && this.postings.compact()) this.findSlots();
  }

  /** What the list shows of each message beyond its headers: the snippet line and the attachment mark. */
  summaries(): Array<readonly [string, MessageSummary]> {
    const out: Array<readonly [string, MessageSummary]> = [];
    for (const [, stored] of this.postings.entries())
      if (stored.snippet || stored.hasAttachment)
        out.push([stored.uid, { snippet: stored.snippet, hasAttachment: stored.hasAttachment }]);
    return out;
  }

  /** How many indexed messages are headers only. */
  headersOnlyCount(): number {
    let count = 0;
    for (const [, stored] of this.postings.entries()) if (stored.headersOnly) count++;
    return count;
  }

  /**
   * The messages matching the query's words, phrases' words and field words (each a prefix) and its
   * content filters (has:attachment, before:, after:, larger:), best first. Local state (is:, in:) is
   * the caller's: it changes without the content changing.
   */
  search(query: SearchQuery, limit: number = searchLimits.maxHits): SearchHit[] {
    if (isEmptyQuery(query)) return [];
    const word = (term: string, fields: readonly number[]): QueryTerm => ({
      term,
      fields,
      prefix: term.length >= searchLimits.minPrefixChars,
    });
    const words: QueryTerm[] = [
      ...[...query.words, ...query.phrases.flat()].map((term) => word(term, ALL_FIELDS)),
      ...query.from.map((term) => word(term, [fieldNumber('from')])),
      ...query.to.map((term) => word(term, [fieldNumber('to')])),
      ...query.subject.map((term) => word(term, [fieldNumber('subject')])),
    ].slice(0, searchLimits.maxQueryWords);
    const accept = (stored: Stored): boolean => {
      if (query.hasAttachment && !stored.hasAttachment) return false;
      if (query.largerThan !== undefined && !(stored.size > query.largerThan)) return false;
      if (query.before !== undefined && !(stored.date !== undefined && stored.date < query.before))
        return false;
      if (query.after !== undefined && !(stored.date !== undefined && stored.date >= query.after))
        return false;
      return true;
    };
    const matched = new Set<string>();
    const found = this.postings.search(words, accept, limit, matched);
    const stored = (slot: number) => this.postings.payload(slot)!;
    // Words come ranked; filters alone (only local state or dates asked for): newest first.
    if (words.length === 0) found.sort((a, b) => (stored(b.slot).date ?? 0) - (stored(a.slot).date ?? 0));
    // One array for every hit (the index terms the words stood for): highlighting marks a shown
    // word whose folding is one of them.
    const hitTerms = [...matched];
    return found.slice(0, limit).map(({ slot, score }) => {
      const { uid, headersOnly, hasAttachment, snippet } = stored(slot);
      return { uid, score, terms: hitTerms, headersOnly, hasAttachment, snippet };
    });
  }
}
