import type { SearchOutcome, SyncOutcome } from './indexer.js';
import type { SearchRequest, SearchResponse, SearchService } from './protocol.js';

/** The part of a Worker the client uses. */
export interface SearchWorker {
  onmessage: ((event: MessageEvent<SearchResponse>) => void) | null;
  postMessage(message: SearchRequest): void;
}

/** A request before it has its id (Omit over each member of the union). */
type Unnumbered = SearchRequest extends infer R ? (R extends SearchRequest ? Omit<R, 'id'> : never) : never;

/** The search service over a worker: one request, one answer, matched by id. */
export function searchInWorker(worker: SearchWorker): SearchService {
  let nextId = 1;
  const pending = new Map<number, { resolve: (response: SearchResponse) => void }>();
  worker.onmessage = (event) => {
    const entry = pending.get(event.data.id);
    pending.delete(event.data.id);
    entry?.resolve(event.data);
  };
  const ask = (request: Unnumbered): Promise<SearchResponse> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, { resolve });
      worker.postMessage({ ...request, id } as SearchRequest);
    });
  const sync = async (request: Unnumbered): Promise<SyncOutcome> => {
    const response = await ask(request);
    if (!response.ok) throw new Error(response.error);
    if (!('sync' in response)) throw new Error('the search worker answered something else');
    return response.sync;
  };
  return {
    sync: (account) => sync({ kind: 'sync', account }),
    rebuild: (account) => sync({ kind: 'rebuild', account }),
    async search(account, text): Promise<SearchOutcome> {
      const response = await ask({ kind: 'search', account, text });
      if (!response.ok) throw new Error(response.error);
      if (!('search' in response)) throw new Error('the search worker answered something else');
      return response.search;
    },
    async summaries(account, since) {
      const response = await ask({ kind: 'summaries', account, since });
      if (!response.ok) throw new Error(response.error);
      if (!('summaries' in response)) throw new Error('the search worker answered something else');
      return response.summaries;
    },
  };
}

/** The app's search worker, started on first use. */
export function startSearchWorker(): SearchService {
  return searchInWorker(
    new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'search' }),
  );
}
