import type { StoreApi } from 'zustand/vanilla';
import type { AppState, Runtime, Slice, StoreTools } from '../store/app-state.js';
import type { MessageRow } from '../store/rows.js';
import { selectAccount } from '../store/selectors.js';
import type { SearchService } from './protocol.js';
import { isEmptyQuery, parseQuery, type SearchQuery } from './query.js';
import type { SearchHit } from './search-index.js';
import { SummaryMap } from './summary-map.js';

/** The search as shown: what was typed, and where its answer is. */
export type SearchPhase = 'idle' | 'searching' | 'done' | 'failed';

export interface SearchState {
  readonly text: string;
  /** Parsed on this side too: the local-state filters (is:unread, in:) apply to the rows. */
  readonly query: SearchQuery | undefined;
  readonly phase: SearchPhase;
  /** Ranked, best first (the worker's answer for `text`). */
  readonly hits: readonly SearchHit[];
  /** Messages of the account kept as headers only (searched by sender and subject). */
  readonly headersOnly: number;
  /** The index: messages in it after the last sync, and whether a sync or rebuild runs. */
  readonly indexed: number;
  readonly indexing: boolean;
  /** By UIDL, for the list: the first words of the text and whether it has attachments. */
  readonly summaries: SummaryMap;
}

export interface SearchSlice {
  readonly search: SearchState;
  readonly actions: {
    /** Searches the local store as typed (an empty text ends the search). */
    searchMail(text: string): Promise<void>;
    clearSearch(): void;
    /** Forgets the index and builds it again from the store. */
    rebuildSearch(): Promise<void>;
  };
}

export const idleSearch: SearchState = {
  text: '',
  query: undefined,
  phase: 'idle',
  hits: [],
  headersOnly: 0,
  indexed: 0,
  indexing: false,
  summaries: SummaryMap.empty,
};

/** A sync waits this long after the last change to the rows (a listing changes them every 60 ms). */
export const SYNC_DELAY_MS = 500;

/** Whether a search is on (the list shows its hits instead of the folder). */
export function searching(state: Pick<AppState, 'search'>): boolean {
  return state.search.query !== undefined && !isEmptyQuery(state.search.query);
}

/** The index terms to mark in an opened message: its hit's, while a search is on (one array shared by all hits). */
export function hitTerms(
  state: Pick<AppState, 'search'>,
  uid: string | undefined,
): readonly string[] | undefined {
  if (uid === undefined || !searching(state)) return undefined;
  return state.search.hits.find((hit) => hit.uid === uid)?.terms;
}

const rowsByUid = new WeakMap<readonly MessageRow[], ReadonlyMap<string, MessageRow>>();

/**
 * The list while searching: the hits in rank order, as rows, with the query's local-state filters
 * applied. Without `in:` a search covers the Inbox and the Archive (Trash only when asked).
 */
export function searchRows(rows: readonly MessageRow[], search: SearchState): MessageRow[] {
  let byUid = rowsByUid.get(rows);
  if (!byUid) {
    // A loop, not a Map of flatMap's pairs: those were 10,000 arrays of garbage (1.1 MiB sampled) on
    // the first keystroke of a search while the worker indexed (pnpm bench search-page).
    const map = new Map<string, MessageRow>();
    for (const row of rows) if (row.uid !== undefined) map.set(row.uid, row);
    byUid = map;
    rowsByUid.set(rows, byUid);
  }
  const query = search.query;
  const out: MessageRow[] = [];
  for (const hit of search.hits) {
    const row = byUid.get(hit.uid);
    if (!row || row.place === 'erased') continue;
    if (query?.folder ? row.place !== query.folder : row.place === 'trash') continue;
    if (query?.unread !== undefined && row.read === query.unread) continue;
    out.push(row);
  }
  return out;
}

function change(tools: StoreTools, patch: Partial<SearchState>): void {
  tools.set({ search: { ...tools.get().search, ...patch } });
}

/** Rows, saved rows, rows with headers: when one of these changes, the store changed under the index. */
function contentMark(state: AppState): string {
  let saved = 0;
  let loaded = 0;
  for (const row of state.rows) {
    if (row.saved) saved++;
    if (row.status === 'loaded') loaded++;
  }
  return `${state.rows.length}|${saved}|${loaded}`;
}

export function createSearchSlice(runtime: Runtime): Slice<SearchSlice> {
  return (set, get, api) => {
    const tools = { set, get };
    // A shared computer keeps nothing on the device: the worker's own index database included.
    const service = (): SearchService | undefined =>
      runtime.sharedComputer ? undefined : runtime.deps.search?.();
    let ticket = 0;

    const run = async (text: string): Promise<void> => {
      const mine = ++ticket;
      const query = parseQuery(text);
      const account = selectAccount(get())?.key;
      const search = service();
      if (isEmptyQuery(query) || !account || !search) {
        change(tools, { text, query, phase: 'idle', hits: [] });
        return;
      }
      change(tools, { text, query, phase: 'searching' });
      try {
        const outcome = await search.search(account, text);
        if (mine !== ticket) return;
        change(tools, { phase: 'done', hits: outcome.hits, headersOnly: outcome.headersOnly });
      } catch {
        if (mine === ticket) change(tools, { phase: 'failed', hits: [] });
      }
    };

    // The list's lines follow the worker's journal of changes: each map made here remembers the
    // version it stands for, and the next sync asks only for what changed after it, a slice per
    // answer (each answer a task of its own on this thread). A map without a version (the empty one
    // a new account starts with) asks for everything. One pull at a time, each shown by `show` before
    // the next starts, so every pull starts from the map the last one made. The answers of one pull
    // go into one draft (SummaryMap: only the buckets they touch are copied, once), and an answer
    // that changes nothing leaves the very same map, so nothing renders again.
    const versions = new WeakMap<SummaryMap, number>();
    let pulling: Promise<unknown> = Promise.resolve();
    const pullSummaries = (
      account: string,
      search: SearchService,
      show: (summaries: SummaryMap) => void,
    ): Promise<void> => {
      const pull = pulling.then(async () => {
        const start = get().search.summaries;
        let version = versions.get(start) ?? 0;
        const draft = (version === 0 ? SummaryMap.empty : start).edit();
        for (;;) {
          const answer = await search.summaries(account, version);
          if (selectAccount(get())?.key !== account) return;
          const { uids, snippets, marks } = answer.changes;
          for (let at = 0; at < uids.length; at++) {
            const snippet = snippets[at];
            if (snippet == null) draft.delete(uids[at]!);
            else draft.set(uids[at]!, { snippet, hasAttachment: marks[at] === 1 });
          }
          version = answer.version;
          if (!answer.more) break;
        }
        const next = draft.done();
        versions.set(next, version);
        show(next);
      });
      pulling = pull.catch(() => {});
      return pull;
    };

    const sync = async (rebuild: boolean): Promise<void> => {
      const account = selectAccount(get())?.key;
      const search = service();
      if (!account || !search) return;
      change(tools, { indexing: true });
      try {
        const outcome = await (rebuild ? search.rebuild(account) : search.sync(account));
        await pullSummaries(account, search, (summaries) =>
          change(tools, { indexed: outcome.total, indexing: false, summaries }),
        );
        if (selectAccount(get())?.key !== account) return;
        // What was just indexed may be found now.
        if (searching(get())) await run(get().search.text);
      } catch {
        change(tools, { indexing: false });
      }
    };

    watchContent(api, (accountChanged) => {
      if (accountChanged) {
        ticket++;
        set({ search: idleSearch });
      }
      void sync(false);
    });

    return {
      search: idleSearch,
      actions: {
        searchMail: run,
        clearSearch() {
          ticket++;
          set({ search: { ...get().search, text: '', query: undefined, phase: 'idle', hits: [] } });
        },
        rebuildSearch: () => sync(true),
      },
    };
  };
}

/**
 * Calls `onChange` a little after the rows' content (count, saved) changes, at once (with true) when
 * the account changes.
 */
function watchContent(api: StoreApi<AppState>, onChange: (accountChanged: boolean) => void): void {
  let lastRows: readonly MessageRow[] | undefined;
  let lastMark = '';
  let lastAccount: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  api.subscribe((state) => {
    const account = selectAccount(state)?.key;
    if (account !== lastAccount) {
      lastAccount = account;
      clearTimeout(timer);
      onChange(true);
    }
    if (state.rows === lastRows) return;
    lastRows = state.rows;
    const mark = contentMark(state);
    if (mark === lastMark) return;
    lastMark = mark;
    clearTimeout(timer);
    if (account) timer = setTimeout(() => onChange(false), SYNC_DELAY_MS);
  });
}
