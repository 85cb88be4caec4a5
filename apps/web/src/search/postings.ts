/**
 * The search's inverted index over typed arrays: per term and field, the documents (slot numbers,
 * ascending) and how often the term occurs in each. Replaces MiniSearch, whose per-posting cost
 * (a Map entry per document and field, and a result object with its match map per document touched)
 * made a query for a common word take 58 ms p99 at 10,000 messages and about ten times that at
 * 100,000 (`pnpm bench search`, profile: 52% in its termResults, 15% GC). Here a query walks
 * Uint32Array/Uint16Array postings into dense score arrays: nothing is allocated per document.
 *
 * Documents are numbered in the order they are added (slots), so every posting list stays sorted
 * by appending. Removing a document only forgets its payload; its postings are dropped by
 * `compact()`, which the caller runs when a quarter of the slots are dead and before every save.
 */

import { bestSlots } from './account-index.js';

/** BM25 as MiniSearch has it (k1, b; BM25+'s delta), so ranking stays as it was. */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
/** A term found as a longer term's prefix counts less than the word itself (MiniSearch's weighting). */
const PREFIX_WEIGHT = 0.375;
/** Compaction when this share of the slots is removed documents. */
const DEAD_SHARE = 0.25;

/** One term's occurrences in one field. Capacity grows by doubling; a loaded list is a view, copied on its first append. */
interface Posting {
  docs: Uint32Array;
  freqs: Uint16Array;
  length: number;
}

/** A term's postings, one per field (undefined where it never occurs). */
type TermPostings = Array<Posting | undefined>;

/** One word of a query: where it may match and whether longer terms starting with it count. */
export interface QueryTerm {
  readonly term: string;
  readonly fields: readonly number[];
  readonly prefix: boolean;
}

export interface ScoredSlot {
  readonly slot: number;
  readonly score: number;
}

/** The saved form: plain arrays and typed arrays, for IndexedDB's structured clone (no JSON). */
export interface SavedPostings<P> {
  readonly fieldCount: number;
  readonly payloads: readonly P[];
  /** Per field, the length in terms of each document. */
  readonly fieldLengths: readonly Uint32Array[];
  readonly terms: readonly string[];
  /** Where term t's postings in field f start in docs/freqs: offsets[t * fieldCount + f]. */
  readonly offsets: Uint32Array;
  readonly docs: Uint32Array;
  readonly freqs: Uint16Array;
}

function grow<T extends Uint32Array | Uint16Array>(array: T, length: number, make: (size: number) => T): T {
  if (length < array.length) return array;
  const bigger = make(Math.max(4, array.length * 2));
  bigger.set(array);
  return bigger;
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The index: documents are given as their terms per field, and carry a payload (P) of the caller's. */
export class Postings<P> {
  private readonly terms = new Map<string, TermPostings>();
  private payloads: Array<P | undefined> = [];
  private fieldLengths: Uint32Array[];
  private readonly totalLengths: number[];
  private live = 0;
  /** Every term, sorted (for prefixes), and the terms added since it was sorted. */
  private sorted: string[] = [];
  private unsorted: string[] = [];

  constructor(
    private readonly fieldCount: number,
    private readonly boosts: readonly number[],
  ) {
    this.fieldLengths = Array.from({ length: fieldCount }, () => new Uint32Array(16));
    this.totalLengths = Array.from({ length: fieldCount }, () => 0);
  }

  get size(): number {
    return this.live;
  }

  payload(slot: number): P | undefined {
    return this.payloads[slot];
  }

  /** Every live document's slot and payload. */
  *entries(): IterableIterator<readonly [number, P]> {
    for (let slot = 0; slot < this.payloads.length; slot++) {
      const payload = this.payloads[slot];
      if (payload !== undefined) yield [slot, payload];
    }
  }

  /** Adds a document (its terms per field, in order) and returns its slot. */
  add(fields: readonly (readonly string[])[], payload: P): number {
    const slot = this.payloads.length;
    this.payloads.push(payload);
    this.live++;
    for (let field = 0; field < this.fieldCount; field++) {
      const words = fields[field] ?? [];
      this.fieldLengths[field] = grow(this.fieldLengths[field]!, slot, (n) => new Uint32Array(n));
      this.fieldLengths[field]![slot] = words.length;
      this.totalLengths[field]! += words.length;
      const counts = new Map<string, number>();
      for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
      for (const [term, count] of counts) this.append(term, field, slot, count);
    }
    return slot;
  }

  private append(term: string, field: number, slot: number, count: number): void {
    let postings = this.terms.get(term);
    if (!postings) {
      postings = new Array<Posting | undefined>(this.fieldCount);
      this.terms.set(term, postings);
      this.unsorted.push(term);
    }
    let posting = postings[field];
    if (!posting) {
      posting = { docs: new Uint32Array(2), freqs: new Uint16Array(2), length: 0 };
      postings[field] = posting;
    }
    posting.docs = grow(posting.docs, posting.length, (n) => new Uint32Array(n));
    posting.freqs = grow(posting.freqs, posting.length, (n) => new Uint16Array(n));
    posting.docs[posting.length] = slot;
    posting.freqs[posting.length] = Math.min(count, 0xffff);
    posting.length++;
  }

  remove(slot: number): void {
    if (this.payloads[slot] === undefined) return;
    this.payloads[slot] = undefined;
    this.live--;
    for (let field = 0; field < this.fieldCount; field++)
      this.totalLengths[field]! -= this.fieldLengths[field]![slot]!;
  }

  /** Enough removed documents that their postings should go (the caller compacts: slots change). */
  get wasteful(): boolean {
    return this.payloads.length - this.live > Math.max(64, this.payloads.length * DEAD_SHARE);
  }

  /**
   * Drops removed documents' postings and renumbers the slots densely, in order (the caller finds
   * its documents again by their payloads). False when nothing was removed.
   */
  compact(): boolean {
    if (this.live === this.payloads.length) return false;
    const moved = new Int32Array(this.payloads.length).fill(-1);
    const payloads: P[] = [];
    for (let slot = 0; slot < this.payloads.length; slot++) {
      const payload = this.payloads[slot];
      if (payload === undefined) continue;
      moved[slot] = payloads.length;
      payloads.push(payload);
    }
    this.fieldLengths = this.fieldLengths.map((lengths) => {
      const kept = new Uint32Array(Math.max(16, payloads.length));
      for (let slot = 0; slot < this.payloads.length; slot++)
        if (moved[slot]! >= 0) kept[moved[slot]!] = lengths[slot]!;
      return kept;
    });
    for (const [term, postings] of this.terms) {
      let any = false;
      for (const posting of postings) {
        if (!posting) continue;
        let kept = 0;
        for (let i = 0; i < posting.length; i++) {
          const to = moved[posting.docs[i]!]!;
          if (to < 0) continue;
          posting.docs[kept] = to;
          posting.freqs[kept] = posting.freqs[i]!;
          kept++;
        }
        posting.length = kept;
        if (kept > 0) any = true;
      }
      for (let field = 0; field < this.fieldCount; field++)
        if (postings[field]?.length === 0) postings[field] = undefined;
      if (!any) this.terms.delete(term);
    }
    this.payloads = payloads;
    this.sorted = [...this.terms.keys()].sort();
    this.unsorted = [];
    return true;
  }

  /** The index terms a query word stands for, with the weight of each (1 for the word itself). */
  expand(word: string, prefix: boolean): Array<readonly [string, number]> {
    const found: Array<readonly [string, number]> = [];
    if (this.terms.has(word)) found.push([word, 1]);
    if (!prefix) return found;
    if (this.unsorted.length > 0) {
      this.sorted = mergeSorted(this.sorted, this.unsorted.sort());
      this.unsorted = [];
    }
    for (let at = lowerBound(this.sorted, word); at < this.sorted.length; at++) {
      const term = this.sorted[at]!;
      if (!term.startsWith(word)) break;
      if (term === word || !this.terms.has(term)) continue;
      found.push([term, (PREFIX_WEIGHT * word.length) / (word.length + 0.3 * (term.length - word.length))]);
    }
    return found;
  }

  /**
   * The best `limit` live documents that match every query word (in one of its fields, itself or
   * as a prefix) and pass `accept`, best first, with their BM25 scores (field boosts applied,
   * summed over words and fields); `matched` collects the index terms that the words stood for.
   * Without words: every document that passes, in slot order, unscored.
   */
  search(
    words: readonly QueryTerm[],
    accept: (payload: P) => boolean,
    limit = Infinity,
    matched: Set<string> = new Set(),
  ): ScoredSlot[] {
    const slots = this.payloads.length;
    if (words.length === 0) {
      const all: ScoredSlot[] = [];
      for (let slot = 0; slot < slots; slot++) {
        const payload = this.payloads[slot];
        if (payload !== undefined && accept(payload)) all.push({ slot, score: 0 });
      }
      return all;
    }
    // Each word's postings, the rarest word first: later words only add to the documents still in.
    const groups = words
      .map((word) => {
        const lists: Array<{ posting: Posting; field: number; weight: number }> = [];
        let cost = 0;
        for (const [term, weight] of this.expand(word.term, word.prefix)) {
          const postings = this.terms.get(term)!;
          for (const field of word.fields) {
            const posting = postings[field];
            if (!posting) continue;
            lists.push({ posting, field, weight });
            cost += posting.length;
            matched.add(term);
          }
        }
        return { lists, cost };
      })
      .sort((a, b) => a.cost - b.cost);
    if (groups[0]!.cost === 0) return [];
    const scores = new Float64Array(slots);
    // How many words a document has matched so far (a query has at most 255 words: limits.ts).
    const stage = new Uint8Array(slots);
    const averages = this.totalLengths.map((total) => total / Math.max(1, this.live));
    groups.forEach(({ lists }, at) => {
      for (const { posting, field, weight } of lists) {
        const idf = Math.log(1 + (this.live - posting.length + 0.5) / (posting.length + 0.5));
        const factor = weight * this.boosts[field]! * idf;
        const lengths = this.fieldLengths[field]!;
        const norm = K1 / Math.max(averages[field]!, 1e-9);
        const { docs, freqs, length } = posting;
        for (let i = 0; i < length; i++) {
          const slot = docs[i]!;
          if (stage[slot]! < at) continue;
          const tf = freqs[i]!;
          scores[slot]! +=
            factor * (DELTA + (tf * (K1 + 1)) / (tf + K1 * (1 - B) + norm * B * lengths[slot]!));
          stage[slot] = at + 1;
        }
      }
    });
    const all = groups.length;
    const hits = new Uint32Array(slots);
    let count = 0;
    for (let slot = 0; slot < slots; slot++) {
      if (stage[slot] !== all) continue;
      const payload = this.payloads[slot];
      if (payload !== undefined && accept(payload)) hits[count++] = slot;
    }
    return bestSlots(hits, count, scores, limit);
  }

  /** The saved form; compact() first (a saved index has no removed documents). */
  save(): SavedPostings<P> {
    if (this.live !== this.payloads.length) throw new Error('compact the index before saving it');
    const terms = [...this.terms.keys()];
    const offsets = new Uint32Array(terms.length * this.fieldCount + 1);
    let total = 0;
    terms.forEach((term, t) => {
      const postings = this.terms.get(term)!;
      for (let field = 0; field < this.fieldCount; field++) {
        offsets[t * this.fieldCount + field] = total;
        total += postings[field]?.length ?? 0;
      }
    });
    offsets[terms.length * this.fieldCount] = total;
    const docs = new Uint32Array(total);
    const freqs = new Uint16Array(total);
    terms.forEach((term, t) => {
      const postings = this.terms.get(term)!;
      for (let field = 0; field < this.fieldCount; field++) {
        const posting = postings[field];
        if (!posting) continue;
        const at = offsets[t * this.fieldCount + field]!;
        docs.set(posting.docs.subarray(0, posting.length), at);
        freqs.set(posting.freqs.subarray(0, posting.length), at);
      }
    });
    const count = this.payloads.length;
    return {
      fieldCount: this.fieldCount,
      payloads: this.payloads as P[],
      fieldLengths: this.fieldLengths.map((lengths) => lengths.slice(0, count)),
      terms,
      offsets,
      docs,
      freqs,
    };
  }

  static load<P>(saved: SavedPostings<P>, boosts: readonly number[]): Postings<P> {
    const index = new Postings<P>(saved.fieldCount, boosts);
    const fields = saved.fieldCount;
    index.payloads = [...saved.payloads];
    index.live = saved.payloads.length;
    index.fieldLengths = saved.fieldLengths.map((lengths) => {
      const copy = new Uint32Array(Math.max(16, lengths.length));
      copy.set(lengths);
      return copy;
    });
    saved.fieldLengths.forEach((lengths, field) => {
      index.totalLengths[field] = lengths.reduce((sum, length) => sum + length, 0);
    });
    saved.terms.forEach((term, t) => {
      const postings = new Array<Posting | undefined>(fields);
      for (let field = 0; field < fields; field++) {
        const start = saved.offsets[t * fields + field]!;
        const end = saved.offsets[t * fields + field + 1]!;
        if (end > start)
          postings[field] = {
            docs: saved.docs.subarray(start, end),
            freqs: saved.freqs.subarray(start, end),
            length: end - start,
          };
      }
      index.terms.set(term, postings);
    });
    index.sorted = [...saved.terms].sort();
    return index;
  }
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
