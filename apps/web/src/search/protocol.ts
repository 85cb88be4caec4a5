import type { SearchOutcome, SyncOutcome } from './indexer.js';
import type { MessageSummary } from './search-index.js';

/** What the page asks the search worker. */
export type SearchRequest =
  | { readonly id: number; readonly kind: 'sync'; readonly account: string }
  | { readonly id: number; readonly kind: 'rebuild'; readonly account: string }
  | { readonly id: number; readonly kind: 'search'; readonly account: string; readonly text: string }
  | { readonly id: number; readonly kind: 'summaries'; readonly account: string };

export type SearchResponse =
  | { readonly id: number; readonly ok: true; readonly sync: SyncOutcome }
  | { readonly id: number; readonly ok: true; readonly search: SearchOutcome }
  | {
      readonly id: number;
      readonly ok: true;
      readonly summaries: ReadonlyArray<readonly [string, MessageSummary]>;
    }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** The search as the store sees it: in a worker in the app, in-process in tests (the same Indexer). */
export interface SearchService {
  sync(account: string): Promise<SyncOutcome>;
  rebuild(account: string): Promise<SyncOutcome>;
  search(account: string, text: string): Promise<SearchOutcome>;
  /** The list's snippet line and attachment mark of every indexed message that has one. */
  summaries(account: string): Promise<ReadonlyArray<readonly [string, MessageSummary]>>;
}
