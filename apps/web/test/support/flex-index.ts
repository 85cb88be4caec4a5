import { Document, Encoder } from 'flexsearch';
import {
  bestSlots,
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
} from '../../src/search/account-index.js';
import { searchLimits } from '../../src/search/limits.js';
import { fold } from '../../src/search/text.js';

/** The saved form's format: FlexSearch 0.8's export (3). Another format is rebuilt from the store. */
export const FLEX_FORMAT = 3;

/**
 * FlexSearch scores a term by where it first stands in a field: slot 0 for the first word, up to
 * RESOLUTION - 1 at the end of a long field (its default, 9). A hit in slot k counts
 * (RESOLUTION - k) / RESOLUTION times its field's boost.
 */
const RESOLUTION = 9;

/** The app's folding (text.ts) as FlexSearch's encoder: the same terms as `terms()`, and no letter deduplication or number splitting of its own. */
const encoder = new Encoder({
  normalize: fold,
  split: /[^\p{L}\p{N}]+/u,
  numeric: false,
  dedupe: false,
});

interface FlexDocument {
  [key: string]: string | number;
  id: number;
}

interface SavedFlex {
  /** FlexSearch's export: its keys and JSON strings. */
  readonly parts: ReadonlyArray<readonly [string, string]>;
  readonly stored: ReadonlyArray<readonly [number, Stored]>;
}

/**
 * fastupdate keeps, per document, where its ids are, so a removal is quick. A Document with it cannot
 * import its own export (FlexSearch 0.8.212: "c.add is not a function" on the register), and an import
 * turns it off anyway: a loaded index is made without it, and its removals search every term.
 */
function newDocument(fastupdate: boolean): Document<FlexDocument> {
  return new Document<FlexDocument>({
    tokenize: 'forward',
    encoder,
    resolution: RESOLUTION,
    fastupdate,
    document: { id: 'id', index: [...FIELDS] },
  });
}

/**
 * The engine measured against postings.ts and not chosen (BENCHMARKS.md, Search: the decision); it
 * stays here, behind the app's interface, so the same test suite and `pnpm bench search` run over it.
 *
 * One account's index on a FlexSearch Document index (a forward-tokenized index per field), behind
 * the same interface as search-index.ts: FlexSearch answers each word in each field with its ids by
 * position slot; the words are combined here (every word must match, in one of its fields; field
 * boosts times slot weight summed), as FlexSearch's Resolver has no field weights of this kind.
 * Documents are numbered (FlexSearch's fastest ids); numbers of removed ones are used again.
 */
export class FlexIndex implements AccountIndex {
  private readonly numbers = new Map<string, number>();
  private byNumber: Array<Stored | undefined> = [];
  private free: number[] = [];

  private constructor(private readonly document: Document<FlexDocument>) {}

  static create(): FlexIndex {
    return new FlexIndex(newDocument(true));
  }

  static load(saved: SavedIndex): FlexIndex | undefined {
    const index = saved.index as SavedFlex | undefined;
    if (saved.format !== FLEX_FORMAT || !Array.isArray(index?.parts)) return undefined;
    const document = newDocument(false);
    for (const [key, data] of index.parts) document.import(key, data);
    const loaded = new FlexIndex(document);
    for (const [number, stored] of index.stored) {
      loaded.byNumber[number] = stored;
      loaded.numbers.set(stored.uid, number);
    }
    for (let number = 0; number < loaded.byNumber.length; number++)
      if (!loaded.byNumber[number]) loaded.free.push(number);
    return loaded;
  }

  async save(): Promise<SavedIndex> {
    const parts: Array<readonly [string, string]> = [];
    await this.document.export((key: string, data: string) => {
      parts.push([key, data]);
    });
    const stored: Array<readonly [number, Stored]> = [];
    this.byNumber.forEach((entry, number) => {
      if (entry) stored.push([number, entry]);
    });
    const index: SavedFlex = { parts, stored };
    return { format: FLEX_FORMAT, index };
  }

  get size(): number {
    return this.numbers.size;
  }

  uids(): IterableIterator<string> {
    return this.numbers.keys();
  }

  signature(uid: string): string | undefined {
    const number = this.numbers.get(uid);
    return number === undefined ? undefined : this.byNumber[number]?.signature;
  }

  put(document: SearchDocument, signature: string): void {
    this.remove(document.id);
    const number = this.free.pop() ?? this.byNumber.length;
    const entry: FlexDocument = { id: number };
    for (const field of FIELDS) entry[field] = document[field];
    this.document.add(entry);
    this.byNumber[number] = storedOf(document, signature);
    this.numbers.set(document.id, number);
  }

  remove(uid: string): void {
    const number = this.numbers.get(uid);
    if (number === undefined) return;
    this.document.remove(number);
    this.numbers.delete(uid);
    this.byNumber[number] = undefined;
    this.free.push(number);
  }

  private *stored(): IterableIterator<Stored> {
    for (const entry of this.byNumber) if (entry) yield entry;
  }

  summary(uid: string): MessageSummary | undefined {
    const number = this.numbers.get(uid);
    return number === undefined ? undefined : summaryOf(this.byNumber[number]);
  }

  headersOnlyCount(): number {
    return headersOnlyIn(this.stored());
  }

  /** FlexSearch's unresolved answer for one term in one field: ids by position slot (its own arrays: read only). */
  private slotsOf(term: string, field: Field): ReadonlyArray<readonly number[] | undefined> {
    const found = this.document.search({ query: term, pluck: field, resolve: false });
    return found.result as ReadonlyArray<readonly number[] | undefined>;
  }

  search(query: IndexQuery, limit: number = searchLimits.maxHits): SearchHit[] {
    if (isEmptyQuery(query)) return [];
    const accept = contentFilter(query);
    const words = queryWords(query);
    if (words.length === 0) return newestFirst(this.stored(), accept, limit);
    // Each word's answers, the rarest word first: later words only add to the documents still in.
    const groups = words
      .map(({ term, fields }) => {
        const lists = fields.map((field) => ({ field, slots: this.slotsOf(term, field) }));
        let cost = 0;
        for (const { slots } of lists) for (const ids of slots) cost += ids?.length ?? 0;
        return { lists, cost };
      })
      .sort((a, b) => a.cost - b.cost);
    if (groups[0]!.cost === 0) return [];
    const size = this.byNumber.length;
    const scores = new Float64Array(size);
    const stage = new Uint8Array(size);
    groups.forEach(({ lists }, at) => {
      for (const { field, slots } of lists) {
        for (let slot = 0; slot < slots.length; slot++) {
          const ids = slots[slot];
          if (!ids) continue;
          const value = (BOOST[field] * (RESOLUTION - slot)) / RESOLUTION;
          for (const id of ids) {
            if (stage[id]! < at) continue;
            scores[id]! += value;
            stage[id] = at + 1;
          }
        }
      }
    });
    const candidates = new Uint32Array(size);
    let count = 0;
    for (let number = 0; number < size; number++) {
      if (stage[number] !== groups.length) continue;
      const entry = this.byNumber[number];
      if (entry && accept(entry)) candidates[count++] = number;
    }
    // FlexSearch does not say which longer terms a prefix stood for: the words themselves are marked.
    const hitTerms = [...new Set(words.map((word) => word.term))];
    return bestSlots(candidates, count, scores, limit).map(({ slot, score }) =>
      hitOf(this.byNumber[slot]!, score, hitTerms),
    );
  }
}

export const flexEngine: IndexEngine = {
  name: 'FlexSearch 0.8 Document',
  create: () => FlexIndex.create(),
  load: (saved) => FlexIndex.load(saved),
};
