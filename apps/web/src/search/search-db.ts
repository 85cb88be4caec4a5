import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import type { SavedIndex } from './search-index.js';

/**
 * The search index's own database, `webpop-search` (apart from the mail store's `webpop`, so neither
 * schema waits for the other): per account the saved index (postings.ts), and per message the folded
 * text that quoted phrases are checked against. Everything here can be rebuilt from the mail store.
 */
export const SEARCH_DATABASE_NAME = 'webpop-search';

interface SearchDbSchema extends DBSchema {
  indexes: { key: string; value: SavedIndex };
  texts: { key: [string, string]; value: string };
}

const accountRange = (account: string) => IDBKeyRange.bound([account, ''], [account, []]);

export class SearchDb {
  private constructor(private readonly db: IDBPDatabase<SearchDbSchema>) {}

  static async open(options: { factory?: IDBFactory; name?: string } = {}): Promise<SearchDb> {
    const factory = options.factory ?? globalThis.indexedDB;
    const request = factory.open(options.name ?? SEARCH_DATABASE_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('indexes');
      request.result.createObjectStore('texts');
    };
    const db = (await wrap(request)) as IDBPDatabase<SearchDbSchema>;
    db.addEventListener('versionchange', () => db.close());
    return new SearchDb(db);
  }

  close(): void {
    this.db.close();
  }

  loadIndex(account: string): Promise<SavedIndex | undefined> {
    return this.db.get('indexes', account);
  }

  saveIndex(account: string, saved: SavedIndex): Promise<string> {
    return this.db.put('indexes', saved, account);
  }

  async putTexts(
    account: string,
    texts: ReadonlyArray<readonly [string, string | undefined]>,
  ): Promise<void> {
    if (texts.length === 0) return;
    const tx = this.db.transaction('texts', 'readwrite');
    await Promise.all([
      ...texts.map(([uid, text]) =>
        text === undefined ? tx.store.delete([account, uid]) : tx.store.put(text, [account, uid]),
      ),
      tx.done,
    ]);
  }

  text(account: string, uid: string): Promise<string | undefined> {
    return this.db.get('texts', [account, uid]);
  }

  /** Drops the account's index and texts (a rebuild starts from nothing). */
  async clear(account: string): Promise<void> {
    const tx = this.db.transaction(['indexes', 'texts'], 'readwrite');
    await Promise.all([
      tx.objectStore('indexes').delete(account),
      tx.objectStore('texts').delete(accountRange(account)),
      tx.done,
    ]);
  }
}
