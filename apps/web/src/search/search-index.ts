import MiniSearch, { type Query, type SearchResult as MiniResult } from 'minisearch';
import type { SearchDocument } from './document.js';
import { searchLimits } from './limits.js';
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
const STORED = ['date', 'size', 'hasAttachment', 'headersOnly', 'snippet'] as const;
/** A word in the subject counts three times one in the body; in the sender twice (measured by eye on the demo mailbox). */
const BOOST = { subject: 3, from: 2, attachments: 1.5 };

type Stored = Pick<SearchDocument, (typeof STORED)[number]>;

/** Bumped when the documents or options change shape: an index saved by another version is rebuilt. */
export const INDEX_FORMAT = 1;

function options() {
  return {
    fields: [...FIELDS],
    storeFields: [...STORED],
    tokenize: (text: string) => terms(text),
    // terms() already folded; MiniSearch's default would lower-case again.
    processTerm: (term: string) => term,
    searchOptions: {
      combineWith: 'AND' as const,
      prefix: (term: string) => term.length >= searchLimits.minPrefixChars,
      boost: BOOST,
    },
  };
}

/** The saved form: MiniSearch's own JSON and what each message was indexed from. */
export interface SavedIndex {
  readonly format: number;
  readonly index: string;
  readonly signatures: ReadonlyArray<readonly [string, string]>;
}

/**
 * The full-text index of one account (MiniSearch: chosen by `pnpm bench search`, see
 * docs/ARCHITECTURE.md): documents by UIDL, each with the signature of what it was made from, so a
 * sync indexes only what changed. Quoted phrases are checked by the caller (hasPhrases) against the
 * texts kept beside the index; everything else of a SearchQuery is answered here.
 */
export class SearchIndex {
  private constructor(
    private readonly mini: MiniSearch<SearchDocument>,
    private readonly signatures: Map<string, string>,
  ) {}

  static create(): SearchIndex {
    return new SearchIndex(new MiniSearch<SearchDocument>(options()), new Map());
  }

  /** A saved index, or undefined when it is of another format (then the caller rebuilds). */
  static load(saved: SavedIndex): SearchIndex | undefined {
    if (saved.format !== INDEX_FORMAT) return undefined;
    return new SearchIndex(
      MiniSearch.loadJSON<SearchDocument>(saved.index, options()),
      new Map(saved.signatures),
    );
  }

  save(): SavedIndex {
    return { format: INDEX_FORMAT, index: JSON.stringify(this.mini), signatures: [...this.signatures] };
  }

  get size(): number {
    return this.signatures.size;
  }

  uids(): IterableIterator<string> {
    return this.signatures.keys();
  }

  signature(uid: string): string | undefined {
    return this.signatures.get(uid);
  }

  /** Adds a message, or replaces what was indexed for it. */
  put(document: SearchDocument, signature: string): void {
    if (this.signatures.has(document.id)) this.mini.discard(document.id);
    this.mini.add(document);
    this.signatures.set(document.id, signature);
  }

  remove(uid: string): void {
    if (!this.signatures.delete(uid)) return;
    this.mini.discard(uid);
  }

  /** What the list shows of each message beyond its headers: the snippet line and the attachment mark. */
  summaries(): Array<readonly [string, MessageSummary]> {
    const out: Array<readonly [string, MessageSummary]> = [];
    for (const uid of this.signatures.keys()) {
      const stored = this.mini.getStoredFields(uid) as Stored | undefined;
      if (stored && (stored.snippet || stored.hasAttachment))
        out.push([uid, { snippet: stored.snippet, hasAttachment: stored.hasAttachment }]);
    }
    return out;
  }

  /** How many indexed messages are headers only. */
  headersOnlyCount(): number {
    let count = 0;
    for (const uid of this.signatures.keys()) if (this.signatures.get(uid)!.startsWith('0:')) count++;
    return count;
  }

  /**
   * The messages matching the query's words, phrases' words and field words (each a prefix) and its
   * content filters (has:attachment, before:, after:, larger:), best first. Local state (is:, in:) is
   * the caller's: it changes without the content changing.
   */
  search(query: SearchQuery, limit: number = searchLimits.maxHits): SearchHit[] {
    if (isEmptyQuery(query)) return [];
    // Only local state asked for (is:starred, is:unread, in:): every message, for the caller to filter.
    const parts: Query[] = [...query.words, ...query.phrases.flat()];
    const field = (words: readonly string[], fields: string[]) =>
      words.map((word): Query => ({ queries: [word], fields }));
    parts.push(
      ...field(query.from, ['from']),
      ...field(query.to, ['to']),
      ...field(query.subject, ['subject']),
    );
    const filter = (result: MiniResult): boolean => {
      const stored = result as unknown as Stored;
      if (query.hasAttachment && !stored.hasAttachment) return false;
      if (query.largerThan !== undefined && !(stored.size > query.largerThan)) return false;
      if (query.before !== undefined && !(stored.date !== undefined && stored.date < query.before))
        return false;
      if (query.after !== undefined && !(stored.date !== undefined && stored.date >= query.after))
        return false;
      return true;
    };
    const results =
      parts.length === 0
        ? this.mini.search(MiniSearch.wildcard, { filter })
        : this.mini.search({ combineWith: 'AND', queries: parts }, { filter });
    if (parts.length === 0) {
      // Filters alone: newest first.
      results.sort((a, b) => ((b as unknown as Stored).date ?? 0) - ((a as unknown as Stored).date ?? 0));
    }
    return results.slice(0, limit).map((result) => {
      const stored = result as unknown as Stored;
      return {
        uid: String(result.id),
        score: result.score,
        terms: result.terms,
        headersOnly: stored.headersOnly,
        hasAttachment: stored.hasAttachment,
        snippet: stored.snippet,
      };
    });
  }
}
