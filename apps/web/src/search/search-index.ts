import {
  BOOST,
  contentFilter,
  FIELDS,
  headersOnlyIn,
  hitOf,
  isEmptyQuery,
  newestFirst,
  queryWords,
  storedOf,
  summaryOf,
  type AccountIndex,
  type Field,
  type IndexEngine,
  type IndexQuery,
  type MessageSummary,
  type SavedIndex,
  type SearchDocument,
  type SearchHit,
  type Stored,
} from './account-index.js';
import { searchLimits } from './limits.js';
import { Postings, type SavedPostings } from './postings.js';
import { terms } from './text.js';

export type { MessageSummary, SavedIndex, SearchHit } from './account-index.js';

const fieldNumber = (field: Field): number => FIELDS.indexOf(field);
const BOOSTS = FIELDS.map((field) => BOOST[field]);

/**
 * Bumped when the saved form or the documents change shape: an index saved by another version is
 * rebuilt from the store (1: MiniSearch's JSON; 2: postings.ts's typed arrays).
 */
export const INDEX_FORMAT = 2;

/**
 * The full-text index of one account on postings.ts (BM25; chosen by `pnpm bench search` over
 * FlexSearch, MiniSearch and Orama, see BENCHMARKS.md): documents by UIDL, each with the signature
 * of what it was made from, so a sync indexes only what changed.
 */
export class SearchIndex implements AccountIndex {
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
    const index = saved.index as SavedPostings<Stored> | undefined;
    if (saved.format !== INDEX_FORMAT || index?.fieldCount !== FIELDS.length) return undefined;
    return new SearchIndex(Postings.load(index, BOOSTS));
  }

  save(): Promise<SavedIndex> {
    if (this.postings.compact()) this.findSlots();
    return Promise.resolve({ format: INDEX_FORMAT, index: this.postings.save() });
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

  put(document: SearchDocument, signature: string): void {
    this.remove(document.id);
    const slot = this.postings.add(
      FIELDS.map((field) => terms(document[field])),
      storedOf(document, signature),
    );
    this.slots.set(document.id, slot);
  }

  remove(uid: string): void {
    const slot = this.slots.get(uid);
    if (slot === undefined) return;
    this.slots.delete(uid);
    this.postings.remove(slot);
    if (this.postings.wasteful && this.postings.compact()) this.findSlots();
  }

  summary(uid: string): MessageSummary | undefined {
    const slot = this.slots.get(uid);
    return slot === undefined ? undefined : summaryOf(this.postings.payload(slot));
  }

  headersOnlyCount(): number {
    return headersOnlyIn(this.stored());
  }

  private *stored(): IterableIterator<Stored> {
    for (const [, stored] of this.postings.entries()) yield stored;
  }

  search(query: IndexQuery, limit: number = searchLimits.maxHits): SearchHit[] {
    if (isEmptyQuery(query)) return [];
    const accept = contentFilter(query);
    const words = queryWords(query).map(({ term, fields, prefix }) => ({
      term,
      prefix,
      fields: fields.map(fieldNumber),
    }));
    if (words.length === 0) return newestFirst(this.stored(), accept, limit);
    const matched = new Set<string>();
    const found = this.postings.search(words, accept, limit, matched);
    // One array for every hit (the index terms the words stood for): highlighting marks a shown
    // word whose folding is one of them.
    const hitTerms = [...matched];
    return found.map(({ slot, score }) => hitOf(this.postings.payload(slot)!, score, hitTerms));
  }
}

export const postingsEngine: IndexEngine = {
  name: 'postings.ts',
  create: () => SearchIndex.create(),
  load: (saved) => SearchIndex.load(saved),
};
