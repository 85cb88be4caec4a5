import type { SearchOutcome, SummaryChanges, SyncOutcome } from './indexer.js';

/** What the page asks the search worker. */
export type SearchRequest =
  | { readonly id: number; readonly kind: 'sync'; readonly account: string }
  | { readonly id: number; readonly kind: 'rebuild'; readonly account: string }
  | { readonly id: number; readonly kind: 'search'; readonly account: string; readonly text: string }
  | { readonly id: number; readonly kind: 'summaries'; readonly account: string; readonly since: number };

export type SearchResponse =
  | { readonly id: number; readonly ok: true; readonly sync: SyncOutcome }
  | { readonly id: number; readonly ok: true; readonly search: SearchOutcome }
  | { readonly id: number; readonly ok: true; readonly summaries: SummaryChanges }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** The search as the store sees it: in a worker in the app, in-process in tests (the same Indexer). */
export interface SearchService {
  sync(account: string): Promise<SyncOutcome>;
  rebuild(account: string): Promise<SyncOutcome>;
  search(account: string, text: string): Promise<SearchOutcome>;
  /**
   * How the list's snippet lines and attachment marks changed after version `since` (0: all of
   * them), a slice at a time: ask again from the answer's version while it says `more`.
   */
  summaries(account: string, since: number): Promise<SummaryChanges>;
}
