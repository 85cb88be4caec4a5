// The search worker: the index lives here, off the main thread — parsing stored messages, indexing,
// saving the index and answering queries never block the page.
import { MailStore } from '../mailstore/index.js';
import { parseMessage } from '../mime/parse.js';
import { Indexer } from './indexer.js';
import { searchLimits } from './limits.js';
import type { SearchRequest, SearchResponse } from './protocol.js';
import { SearchDb } from './search-db.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<SearchRequest>) => void) | null;
  postMessage(message: SearchResponse): void;
}

const scope = self as unknown as WorkerScope;

/** One save per account, a little after its last change. */
const saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
function schedule(account: string, save: () => void): void {
  clearTimeout(saveTimers.get(account));
  saveTimers.set(account, setTimeout(save, searchLimits.saveDelayMs));
}

let indexer: Promise<Indexer> | undefined;
function theIndexer(): Promise<Indexer> {
  indexer ??= Promise.all([MailStore.open(), SearchDb.open()]).then(
    ([mailStore, searchDb]) =>
      new Indexer({ mailStore, searchDb, parse: (bytes) => parseMessage(bytes), schedule }),
  );
  return indexer;
}

async function answer(request: SearchRequest): Promise<SearchResponse> {
  const search = await theIndexer();
  switch (request.kind) {
    case 'sync':
      return { id: request.id, ok: true, sync: await search.sync(request.account) };
    case 'rebuild':
      return { id: request.id, ok: true, sync: await search.rebuild(request.account) };
    case 'search':
      return { id: request.id, ok: true, search: await search.search(request.account, request.text) };
    case 'summaries':
      return { id: request.id, ok: true, summaries: await search.summaries(request.account, request.since) };
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  answer(request).then(
    (response) => scope.postMessage(response),
    (error: unknown) =>
      scope.postMessage({
        id: request.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
};
