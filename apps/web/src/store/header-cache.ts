import { listingWriteLimits, nextTask, storedHeaders } from '../mailstore/index.js';
import type { CachedHeaders, MailCache } from '../mailstore/mail-cache.js';

/** What the cache knows of an account: its headers by UID and its read marks. */
export type CachedMailbox = readonly [ReadonlyMap<string, CachedHeaders>, ReadonlySet<string>];

/**
 * The header cache's writer. Headers are collected while a listing runs and written when it ends (or
 * breaks off): IndexedDB writes on every row flush took the main thread from the WebSocket while the
 * list was loading. They are written after the list's render, and in slices, each in a task of its
 * own (`listingWriteLimits.headers`, a `nextTask` before each): 10,000 puts at once held the main
 * thread for ~250 ms. Reading an account waits for its writes.
 */
export class HeaderCacheWriter {
  /** Headers shown but not yet written, by account. */
  private readonly unwritten = new Map<string, Array<[string, CachedHeaders]>>();
  /** Writes in progress, by account. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly cache: MailCache) {}

  /** Headers and read marks of an account (empty where the cache cannot tell), after pending writes. */
  read(key: string): Promise<CachedMailbox> {
    return (this.writes.get(key) ?? Promise.resolve()).then(() =>
      Promise.all([
        this.cache.headers(key).catch(() => new Map<string, CachedHeaders>()),
        this.cache.readMarks(key).catch(() => new Set<string>()),
      ]),
    );
  }

  /** Keeps headers that arrived, for the write at the end of the listing. */
  collect(key: string, entries: ReadonlyArray<readonly [string, CachedHeaders]>): void {
    if (entries.length === 0) return;
    const list = this.unwritten.get(key) ?? this.unwritten.set(key, []).get(key)!;
    for (const [uid, headers] of entries) list.push([uid, storedHeaders(headers)]);
  }

  /** Writes what was collected for the account, in slices after the current task. */
  flush(key: string): void {
    const entries = this.unwritten.get(key);
    this.unwritten.delete(key);
    if (!entries?.length) return;
    const slice = listingWriteLimits.headers;
    const written = (async () => {
      for (let start = 0; start < entries.length; start += slice) {
        await nextTask();
        await this.cache.putHeaders(key, entries.slice(start, start + slice)).catch(() => {});
      }
    })();
    const done = (this.writes.get(key) ?? Promise.resolve()).then(() => written);
    this.writes.set(key, done);
    void done.then(() => {
      if (this.writes.get(key) === done) this.writes.delete(key);
    });
  }

  setRead(key: string, uid: string, read: boolean): void {
    void this.cache.setRead(key, uid, read).catch(() => {});
  }

  /** Forgets what the cache holds for messages no longer on the server. */
  retain(key: string, uids: ReadonlySet<string>): void {
    void this.cache.retain(key, uids).catch(() => {});
  }
}
