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

/**
 * Runs `write` for each item, `perTask` in a task: after each group but the last, the group's last
 * request is awaited, and the next group is issued from its success event, in a task of its own with
 * the transaction still active. Each put clones its value on the calling thread: a slice's 500 puts in
 * one task were tasks of 330–510 ms after a 10,000-message list (load 23–32).
 */
export async function inTasks<T>(
  items: readonly T[],
  perTask: number,
  write: (item: T, index: number) => IDBRequest | undefined,
): Promise<void> {
  for (let start = 0; start < items.length; start += perTask) {
    let last: IDBRequest | undefined;
    const end = Math.min(start + perTask, items.length);
    for (let index = start; index < end; index++) last = write(items[index]!, index) ?? last;
    if (last && start + perTask < items.length) await answer(last);
  }
}
