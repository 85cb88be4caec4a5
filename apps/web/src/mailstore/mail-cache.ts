import type { HeaderSummary } from './types.js';
import { MailStore } from './mail-store.js';

/** What the list needs of a message, cached by account and UIDL so the next sign-in skips its TOP. */
export type CachedHeaders = HeaderSummary;

/** The header cache and the local read marks (POP3 has no flags), both keyed by account + UIDL. */
export interface MailCache {
  headers(account: string): Promise<Map<string, CachedHeaders>>;
  putHeaders(account: string, entries: ReadonlyArray<readonly [string, CachedHeaders]>): Promise<void>;
  readMarks(account: string): Promise<Set<string>>;
  setRead(account: string, uid: string, read: boolean): Promise<void>;
  /** Forgets what is no longer on the server, so the cache stays the size of the mailbox. */
  retain(account: string, uids: ReadonlySet<string>): Promise<void>;
}

/** A cache in memory: for tests, and where IndexedDB is unavailable (private windows of some browsers). */
export function memoryCache(): MailCache {
  const headers = new Map<string, Map<string, CachedHeaders>>();
  const read = new Map<string, Set<string>>();
  const headersOf = (account: string) =>
    headers.get(account) ?? headers.set(account, new Map()).get(account)!;
  const readOf = (account: string) => read.get(account) ?? read.set(account, new Set()).get(account)!;
  return {
    headers: async (account) => new Map(headersOf(account)),
    putHeaders: async (account, entries) => {
      for (const [uid, value] of entries) headersOf(account).set(uid, value);
    },
    readMarks: async (account) => new Set(readOf(account)),
    setRead: async (account, uid, value) => {
      if (value) readOf(account).add(uid);
      else readOf(account).delete(uid);
    },
    retain: async (account, uids) => {
      for (const uid of headersOf(account).keys()) if (!uids.has(uid)) headersOf(account).delete(uid);
      for (const uid of readOf(account)) if (!uids.has(uid)) readOf(account).delete(uid);
    },
  };
}

/**
 * The header cache over the mail store (database `webpop`, whose version 1 was this cache alone):
 * headers and read marks are fields of the message records. Falls back to memory when IndexedDB
 * cannot be opened.
 */
export function indexedDbCache(factory?: IDBFactory, name?: string): MailCache {
  let opened: Promise<MailStore | undefined> | undefined;
  const fallback = memoryCache();
  const db = () => {
    opened ??= MailStore.open({ factory, name }).catch(() => undefined);
    return opened;
  };
  return storeCache(db, fallback);
}

/** The MailCache of a store that may be missing (then `fallback` answers). */
export function storeCache(store: () => Promise<MailStore | undefined>, fallback: MailCache): MailCache {
  return {
    async headers(account) {
      const handle = await store();
      if (!handle) return fallback.headers(account);
      // In pages, a task each (`pages`): the whole account in one getAll was one task of 2.3–3.2 s at
      // 100,000 records, its structured clone read at once (a trace of the page while it re-listed, load 8).
      // Each page is dropped once its headers are taken: holding every whole record until the last
      // page (about 1 KB each) was garbage promoted before the list's end (pnpm bench search-page).
      const headers = new Map<string, CachedHeaders>();
      for await (const page of handle.pages(account))
        for (const record of page)
          if (record.headers && record.place !== 'erased') headers.set(record.uid, record.headers);
      return headers;
    },
    async putHeaders(account, entries) {
      const handle = await store();
      if (!handle) return fallback.putHeaders(account, entries);
      await handle.putHeaders(account, entries);
    },
    async readMarks(account) {
      const handle = await store();
      if (!handle) return fallback.readMarks(account);
      const read = new Set<string>();
      for await (const page of handle.pages(account))
        for (const record of page) if (record.read) read.add(record.uid);
      return read;
    },
    async setRead(account, uid, read) {
      const handle = await store();
      if (!handle) return fallback.setRead(account, uid, read);
      await handle.setState(account, [uid], { read });
    },
    async retain(account, uids) {
      const handle = await store();
      if (!handle) return fallback.retain(account, uids);
      // The keys alone: which UIDLs are here is all it needs (`forget` reads those it forgets).
      const here = await handle.uids(account);
      await handle.forget(
        account,
        here.filter((uid) => !uids.has(uid)),
      );
    },
  };
}
