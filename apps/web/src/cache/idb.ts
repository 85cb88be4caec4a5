/** A tiny promise wrapper over IndexedDB: one database, a few object stores, array keys. */

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function transactionDone(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
  });
}

export class Idb {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (and creates or upgrades) a database whose stores are all keyed by the values' array keys. */
  static open(
    name: string,
    version: number,
    stores: readonly string[],
    factory: IDBFactory = indexedDB,
  ): Promise<Idb> {
    return new Promise((resolve, reject) => {
      const request = factory.open(name, version);
      request.onupgradeneeded = () => {
        for (const store of stores) {
          if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab upgrading the schema: let it, and stop using this handle.
        db.onversionchange = () => db.close();
        resolve(new Idb(db));
      };
      request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
  }

  /** Every [key, value] whose key lies in the range. */
  async entries<T>(store: string, range: IDBKeyRange): Promise<Array<[IDBValidKey, T]>> {
    const transaction = this.db.transaction(store, 'readonly');
    const objects = transaction.objectStore(store);
    const [keys, values] = await Promise.all([
      requestResult(objects.getAllKeys(range)),
      requestResult(objects.getAll(range) as IDBRequest<T[]>),
    ]);
    return keys.map((key, index) => [key, values[index] as T]);
  }

  /** Writes and deletes in one transaction. */
  async write(
    store: string,
    puts: ReadonlyArray<[IDBValidKey, unknown]>,
    deletes: readonly IDBValidKey[] = [],
  ) {
    if (puts.length === 0 && deletes.length === 0) return;
    const transaction = this.db.transaction(store, 'readwrite');
    const done = transactionDone(transaction);
    const objects = transaction.objectStore(store);
    for (const [key, value] of puts) objects.put(value, key);
    for (const key of deletes) objects.delete(key);
    await done;
  }

  close(): void {
    this.db.close();
  }
}
