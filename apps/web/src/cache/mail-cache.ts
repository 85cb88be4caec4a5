import type { MailAddress } from '@webpop/pop3/mail';
import { Idb } from './idb.js';

/** What the list needs of a message, cached by account and UIDL so the next sign-in skips its TOP. */
export interface CachedHeaders {
  readonly from: MailAddress | undefined;
  readonly subject: string;
  readonly date: number | undefined;
}

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

const HEADERS = 'headers';
const READ = 'read';

function accountRange(account: string): IDBKeyRange {
  // Keys are [account, uid]; every string sorts before any array, so [account, []] bounds the account.
  return IDBKeyRange.bound([account, ''], [account, []]);
}

function uidOf(key: IDBValidKey): string {
  return Array.isArray(key) ? String(key[1]) : '';
}

/** The IndexedDB cache (database `webpop`). Falls back to memory when IndexedDB cannot be opened. */
export function indexedDbCache(factory?: IDBFactory, name = 'webpop'): MailCache {
  let opened: Promise<Idb | undefined> | undefined;
  const fallback = memoryCache();
  const db = () => {
    opened ??= Idb.open(name, 1, [HEADERS, READ], factory ?? globalThis.indexedDB).catch(() => undefined);
    return opened;
  };
  return {
    async headers(account) {
      const handle = await db();
      if (!handle) return fallback.headers(account);
      const entries = await handle.entries<CachedHeaders>(HEADERS, accountRange(account));
      return new Map(entries.map(([key, value]) => [uidOf(key), value]));
    },
    async putHeaders(account, entries) {
      const handle = await db();
      if (!handle) return fallback.putHeaders(account, entries);
      await handle.write(
        HEADERS,
        entries.map(([uid, value]) => [[account, uid], value]),
      );
    },
    async readMarks(account) {
      const handle = await db();
      if (!handle) return fallback.readMarks(account);
      const entries = await handle.entries<true>(READ, accountRange(account));
      return new Set(entries.map(([key]) => uidOf(key)));
    },
    async setRead(account, uid, read) {
      const handle = await db();
      if (!handle) return fallback.setRead(account, uid, read);
      await handle.write(READ, read ? [[[account, uid], true]] : [], read ? [] : [[account, uid]]);
    },
    async retain(account, uids) {
      const handle = await db();
      if (!handle) return fallback.retain(account, uids);
      for (const store of [HEADERS, READ]) {
        const entries = await handle.entries<unknown>(store, accountRange(account));
        const stale = entries.map(([key]) => key).filter((key) => !uids.has(uidOf(key)));
        await handle.write(store, [], stale);
      }
    },
  };
}
