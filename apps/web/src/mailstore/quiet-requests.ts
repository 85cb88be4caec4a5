// Many reads and writes in one IndexedDB transaction without a listener per request. `idb` wraps each
// request in a promise that adds a `success` and an `error` listener to it: a header cache write of
// 10,000 records (a get and a put each) made 40,000 listeners, and the page's live listener count
// climbed 6,800 → 74,500 in the 12 s after a 10,000-message list (`profile/big-list.ts`, load 31) —
// garbage for the GC to trace, whose collections were the long tasks after the list. Requests of a
// transaction are answered in the order they were made (IndexedDB 3.0, "asynchronously execute a
// request"), so when the last read answers every earlier one has its result; a write needs no
// listener of its own, since a failed request aborts its transaction, which the caller awaits.

/** One request's result (for a single count or getAll, where one pair of listeners is nothing). */
export function answer<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new DOMException('request failed', 'UnknownError'));
  });
}

/** The values at `keys` (undefined where none), with one request listened to. */
export function getEach<T>(
  store: IDBObjectStore,
  keys: readonly IDBValidKey[],
): Promise<Array<T | undefined>> {
  if (keys.length === 0) return Promise.resolve([]);
  const requests = keys.map((key) => store.get(key) as IDBRequest<T | undefined>);
  return answer(requests[requests.length - 1]!).then(() => requests.map((request) => request.result));
}
