import { unwrap, wrap, type IDBPDatabase } from 'idb';
import { summarizeHeaders } from '../mime/headers.js';
import {
  DATABASE_NAME,
  SCHEMA_VERSION,
  upgrade,
  type MailDb,
  type MessageKey,
  type UpgradeTransaction,
} from './schema.js';
import { ComposeStore } from './drafts.js';
import { nextTask } from './next-task.js';
import { answer, getEach, inTasks } from './quiet-requests.js';
import { defaultAccountSettings, listingWriteLimits, storeReadLimits } from './settings.js';
import {
  byArrival,
  MailStoreError,
  storedHeaders,
  type AccountHoldings,
  type AccountSettings,
  type Folder,
  type HeaderSummary,
  type LocalState,
  type StoredAccount,
  type StoredMessage,
} from './types.js';

/** A message as the server listed it: the input of `recordListing`. */
export interface ListedMessage {
  readonly uid: string;
  readonly size: number;
}

/** A downloaded message to store and prove: the input of `putRawBatch`. */
export interface RawWrite {
  readonly uid: string;
  readonly bytes: Uint8Array;
  /** LIST's size: the bytes must be exactly this many. */
  readonly expectedSize: number;
  readonly headers?: HeaderSummary;
}

/** A raw message read out for an export, one at a time. */
export interface RawMessage {
  readonly message: StoredMessage;
  readonly bytes: Uint8Array;
}

export interface Usage {
  readonly messages: number;
  /** Bytes of raw messages stored (the records and indexes beside them are not counted). */
  readonly bytes: number;
}

export interface OpenOptions {
  readonly factory?: IDBFactory;
  readonly name?: string;
  readonly now?: () => number;
}

const key = (account: string, uid: string): MessageKey => [account, uid];
/** Every [account, uid] of one account: strings sort before arrays, so [account, []] bounds it. */
const accountRange = (account: string) => IDBKeyRange.bound([account, ''], [account, []]);

/** Whether an export writes this record out: in the folder asked for, and with bytes kept here. */
function hasSavedCopy(record: StoredMessage, folder: Folder | undefined): boolean {
  if (record.place === 'erased' || record.storedBytes === 0) return false;
  return folder === undefined || record.place === folder;
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

function storeError(error: unknown, what: string): MailStoreError {
  if (error instanceof MailStoreError) return error;
  if (isQuotaError(error))
    return new MailStoreError('quota', `${what}: storage quota exceeded`, { cause: error });
  return new MailStoreError('failed', `${what}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Awaits a transaction's requests and its commit; when one fails, aborts the transaction so none of
 * them is kept, and rethrows that request's error (the browser's QuotaExceededError, say).
 */
async function allOrNothing(
  tx: { done: Promise<void>; abort(): void },
  requests: ReadonlyArray<Promise<unknown>>,
): Promise<void> {
  const done = tx.done;
  done.catch(() => {}); // awaited below, unless a request failed first
  try {
    await Promise.all(requests);
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already finished or aborted by the failed request itself.
    }
    throw error;
  }
  await done;
}

/**
 * The records of `uids` (undefined where none) inside a transaction, without a listener per record
 * (quiet-requests.ts): one getAll of the key range from the first UIDL to the last when the slice's
 * records lie together in key order (`listingWriteLimits.rangeReadSpread`), else a get each.
 */
async function recordsAt(
  store: IDBObjectStore,
  account: string,
  uids: readonly string[],
): Promise<Array<StoredMessage | undefined>> {
  if (uids.length === 0) return [];
  let first = uids[0]!;
  let last = first;
  for (const uid of uids) {
    // String order by UTF-16 code units, as IndexedDB compares keys.
    if (uid < first) first = uid;
    if (uid > last) last = uid;
  }
  const range = IDBKeyRange.bound(key(account, first), key(account, last));
  if ((await answer(store.count(range))) <= uids.length * listingWriteLimits.rangeReadSpread) {
    const records = (await answer(store.getAll(range))) as StoredMessage[];
    const byUid = new Map(records.map((record) => [record.uid, record]));
    return uids.map((uid) => byUid.get(uid));
  }
  return getEach<StoredMessage>(
    store,
    uids.map((uid) => key(account, uid)),
  );
}

/** A copy that owns exactly its bytes (a view into a larger buffer would store all of that buffer). */
function exactCopy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.slice();
}

function newRecord(account: string, uid: string, size: number, now: number): StoredMessage {
  return {
    account,
    uid,
    headers: undefined,
    size,
    read: false,
    starred: false,
    place: 'inbox',
    firstSeen: now,
    downloadedAt: undefined,
    storedBytes: 0,
    onServer: true,
    imported: false,
  };
}

/** Saved messages (records with bytes), their bytes, those only here, and the drafts count. */
function holdingsOf(records: readonly StoredMessage[], drafts: number): AccountHoldings {
  const saved = records.filter((record) => record.storedBytes > 0);
  return {
    messages: saved.length,
    bytes: saved.reduce((sum, record) => sum + record.storedBytes, 0),
    onlyHere: saved.filter((record) => !record.onServer).length,
    drafts,
  };
}

/**
 * What a listing makes of one record: the record to put, `null` to delete it, or `undefined` when it
 * stays as it is. `listedSize` is LIST's size, or undefined when the server no longer lists it.
 */
function listingChange(
  account: string,
  uid: string,
  listedSize: number | undefined,
  record: StoredMessage | undefined,
  now: number,
): StoredMessage | null | undefined {
  if (listedSize !== undefined) {
    if (!record) return newRecord(account, uid, listedSize, now);
    if (record.onServer && record.size === listedSize) return undefined;
    return {
      ...record,
      onServer: true,
      size: record.downloadedAt === undefined ? listedSize : record.size,
    };
  }
  if (!record) return undefined;
  if (record.storedBytes === 0) return null;
  return record.onServer ? { ...record, onServer: false } : undefined;
}

/** A record without its header summary (what a listing's result holds of a listed message). */
const withoutHeaders = (record: StoredMessage): StoredMessage =>
  record.headers === undefined ? record : { ...record, headers: undefined };

/**
 * The local mail store: per account (server + username), keyed by UIDL, the raw messages exactly as
 * received, their header summaries, local state (read, starred, folder, first seen, downloaded at,
 * on the server) and the account's settings, in IndexedDB (database `webpop`, schema.ts).
 *
 * Every method is one transaction (or, for iteration, one per message), so a tab closed at any point
 * leaves each record either as it was or as it became, never half-written.
 */
export class MailStore {
  /** The last first-seen time an import stamped: each next one is at least a millisecond later. */
  private lastImportStamp = 0;

  private constructor(
    private readonly db: IDBPDatabase<MailDb>,
    private readonly now: () => number,
  ) {}

  /** Drafts and sent messages (drafts.ts); a view over the same database, stateless. */
  get compose(): ComposeStore {
    return new ComposeStore(this.db, this.now);
  }

  /** Opens (creating or migrating) the store; `unavailable` when IndexedDB cannot be used here. */
  static async open(options: OpenOptions = {}): Promise<MailStore> {
    const now = options.now ?? Date.now;
    const factory = options.factory ?? globalThis.indexedDB;
    if (!factory) throw new MailStoreError('unavailable', 'IndexedDB is not available');
    try {
      const request = factory.open(options.name ?? DATABASE_NAME, SCHEMA_VERSION);
      let migration: Promise<void> = Promise.resolve();
      request.onupgradeneeded = (event) => {
        const transaction = wrap(request.transaction!) as unknown as UpgradeTransaction;
        migration = upgrade(
          wrap(request.result) as IDBPDatabase<MailDb>,
          event.oldVersion,
          event.newVersion ?? SCHEMA_VERSION,
          transaction,
          now(),
        );
        // A failed step aborts the upgrade: the database stays at the version it had.
        migration.catch(() => request.transaction?.abort());
      };
      request.onblocked = () => {};
      const db = (await wrap(request)) as IDBPDatabase<MailDb>;
      await migration;
      // Another tab upgrading the schema: let it, and stop using this handle.
      db.addEventListener('versionchange', () => db.close());
      return new MailStore(db, now);
    } catch (error) {
      throw error instanceof MailStoreError
        ? error
        : new MailStoreError('unavailable', `IndexedDB could not be opened: ${String(error)}`, {
            cause: error,
          });
    }
  }

  close(): void {
    this.db.close();
  }

  // ── accounts ──────────────────────────────────────────────────────────────────────────────────

  /** The accounts remembered on this device, most recently used first. */
  async accounts(): Promise<StoredAccount[]> {
    const all = await this.db.getAll('accounts');
    return all.sort((a, b) => b.lastSignIn - a.lastSignIn);
  }

  account(accountKey: string): Promise<StoredAccount | undefined> {
    return this.db.get('accounts', accountKey);
  }

  /** Remembers an account at sign-in, keeping its settings (defaults for a new one). */
  async rememberAccount(account: Omit<StoredAccount, 'settings' | 'lastSignIn'>): Promise<StoredAccount> {
    const tx = this.db.transaction('accounts', 'readwrite');
    const existing = await tx.store.get(account.key);
    const record: StoredAccount = {
      ...account,
      settings: existing?.settings ?? defaultAccountSettings,
      lastSignIn: this.now(),
    };
    await Promise.all([tx.store.put(record), tx.done]);
    return record;
  }

  async saveSettings(accountKey: string, settings: AccountSettings): Promise<void> {
    const tx = this.db.transaction('accounts', 'readwrite');
    const existing = await tx.store.get(accountKey);
    if (!existing) throw new MailStoreError('missing', 'no such account');
    await Promise.all([tx.store.put({ ...existing, settings }), tx.done]);
  }

  /**
   * What the account keeps here: the words "Forget" shows before it deletes anything. A record with
   * bytes counts as a saved message; one the server no longer lists is only here.
   */
  async holdings(accountKey: string): Promise<AccountHoldings> {
    const tx = this.db.transaction(['messages', 'drafts'], 'readonly');
    const [records, drafts] = await Promise.all([
      tx.objectStore('messages').getAll(accountRange(accountKey)),
      tx.objectStore('drafts').count(accountRange(accountKey)),
    ]);
    return holdingsOf(records, drafts);
  }

  /**
   * Forgets an account on this device: its entry, settings, message records, saved bytes and drafts,
   * in one transaction (all of it goes, or nothing). Nothing is sent to any server: the server's
   * copies stay. The sign-in page asks in words first (see `holdings`); returns what was removed.
   */
  async forgetAccount(accountKey: string): Promise<AccountHoldings> {
    try {
      const tx = this.db.transaction(['accounts', 'messages', 'raw', 'drafts'], 'readwrite', {
        durability: 'strict',
      });
      const range = accountRange(accountKey);
      const [records, drafts] = await Promise.all([
        tx.objectStore('messages').getAll(range),
        tx.objectStore('drafts').count(range),
      ]);
      await Promise.all([
        tx.objectStore('accounts').delete(accountKey),
        tx.objectStore('messages').delete(range),
        tx.objectStore('raw').delete(range),
        tx.objectStore('drafts').delete(range),
        tx.done,
      ]);
      return holdingsOf(records, drafts);
    } catch (error) {
      throw storeError(error, 'forgetting an account');
    }
  }

  // ── messages ──────────────────────────────────────────────────────────────────────────────────

  /** The messages of an account (all places, or one), without their bytes. */
  messages(account: string, place?: Folder | 'erased'): Promise<StoredMessage[]> {
    return place === undefined
      ? this.db.getAll('messages', accountRange(account))
      : this.db.getAllFromIndex('messages', 'byPlace', [account, place]);
  }

  message(account: string, uid: string): Promise<StoredMessage | undefined> {
    return this.db.get('messages', key(account, uid));
  }

  /**
   * What a session's listing says: every listed UIDL is on the server (new ones recorded, first seen
   * now, with LIST's size); every other one is not. A message gone from the server stays when its
   * bytes are here (kept only on this device); a record with nothing to read (headers only, or erased)
   * goes. Returns the account's records after the change, those listed without their headers (the
   * list has them; a message kept only here keeps its headers, for its row).
   *
   * The records are read once (in pages, a task each); what changes is written in slices of `listingWriteLimits.records` records, a
   * transaction and a task each. Every put in one transaction held Chromium's main thread for 1.8 s at
   * a first listing of 10,000 (a CPU profile, load about 1): each put clones its record on the calling
   * thread. Each slice reads its records again and applies the change to what it finds, so a write
   * made meanwhile (headers, a saved message) is kept; a listing cut short leaves some slices written,
   * which the next listing completes — every change here is the same when made twice.
   */
  async recordListing(account: string, listed: readonly ListedMessage[]): Promise<StoredMessage[]> {
    const now = this.now();
    const listedSize = new Map<string, number>();
    for (const { uid, size } of listed) listedSize.set(uid, size);
    // A listed message's headers are dropped as each page is read: the list has them from the
    // listing, and holding 10,000 records whole (about 1 KB each) over the listing's tasks was
    // garbage promoted to the old generation while the search worker indexed (pnpm bench search-page).
    const existing: StoredMessage[] = [];
    for await (const page of this.recordPages(account, storeReadLimits.records))
      for (const record of page) existing.push(listedSize.has(record.uid) ? withoutHeaders(record) : record);
    const byUid = new Map<string, StoredMessage>();
    for (const record of existing) byUid.set(record.uid, record);
    /** The records after the change, in the listing's order (a slice replaces its entries in place). */
    const result = new Map<string, StoredMessage>();
    const changes: string[] = [];
    for (const [index, { uid, size }] of listed.entries()) {
      if (index > 0 && index % listingWriteLimits.changesPerTask === 0) await nextTask();
      const record = byUid.get(uid);
      const next = listingChange(account, uid, size, record, now);
      if (next !== undefined) changes.push(uid);
      if (next !== null) result.set(uid, next ?? record!);
    }
    for (const record of existing) {
      if (listedSize.has(record.uid)) continue;
      const next = listingChange(account, record.uid, undefined, record, now);
      if (next !== undefined) changes.push(record.uid);
      if (next !== null) result.set(record.uid, next ?? record);
    }
    for (let start = 0; start < changes.length; start += listingWriteLimits.records) {
      if (start > 0) await nextTask();
      const tx = this.db.transaction('messages', 'readwrite');
      const store = unwrap(tx.store);
      const uids = changes.slice(start, start + listingWriteLimits.records);
      // Read and written without a listener a record (quiet-requests.ts): a failed write aborts
      // the transaction, which allOrNothing awaits.
      const written = recordsAt(store, account, uids).then((currents) =>
        inTasks(uids, listingWriteLimits.writesPerTask, (uid, index) => {
          const current = currents[index];
          const next = listingChange(account, uid, listedSize.get(uid), current, now);
          const after = next ?? current;
          if (after && next !== null) result.set(uid, listedSize.has(uid) ? withoutHeaders(after) : after);
          else result.delete(uid);
          if (next === null) return store.delete(key(account, uid));
          return next === undefined ? undefined : store.put(next);
        }),
      );
      await allOrNothing(tx, [written]);
    }
    return [...result.values()];
  }

  /**
   * Headers for messages already recorded (from TOP); records not there are created. Each record is
   * read in the same transaction as its write, so what else it holds (a saved message's bytes count,
   * its read mark, its folder) stays as it is; the reads are one range read a slice where the UIDLs
   * lie together, and neither reads nor writes have a listener a record (`recordsAt`).
   */
  async putHeaders(account: string, entries: ReadonlyArray<readonly [string, HeaderSummary]>): Promise<void> {
    if (entries.length === 0) return;
    const now = this.now();
    const tx = this.db.transaction('messages', 'readwrite');
    const store = unwrap(tx.store);
    const written = recordsAt(
      store,
      account,
      entries.map(([uid]) => uid),
    ).then((records) =>
      inTasks(entries, listingWriteLimits.writesPerTask, ([uid, headers], index) => {
        const record = records[index] ?? newRecord(account, uid, 0, now);
        return store.put({ ...record, headers: storedHeaders(headers) });
      }),
    );
    await allOrNothing(tx, [written]);
  }

  /** Changes local state (read, starred, place) of some messages; unknown UIDLs are ignored. */
  async setState(account: string, uids: readonly string[], change: Partial<LocalState>): Promise<void> {
    const tx = this.db.transaction('messages', 'readwrite');
    const writes = uids.map(async (uid) => {
      const record = await tx.store.get(key(account, uid));
      if (record && record.place !== 'erased') await tx.store.put({ ...record, ...change });
    });
    await Promise.all([...writes, tx.done]);
  }

  /**
   * Empties the account's Trash: bytes and headers go, an `erased` record stays while the server still
   * has the message (so the next listing does not bring it back). Returns the UIDLs emptied.
   */
  async emptyTrash(account: string): Promise<string[]> {
    const tx = this.db.transaction(['messages', 'raw'], 'readwrite');
    const messages = tx.objectStore('messages');
    const trash = await messages.index('byPlace').getAll([account, 'trash']);
    const writes = trash.flatMap((record) => [
      tx.objectStore('raw').delete(key(account, record.uid)),
      record.onServer
        ? messages.put({
            ...record,
            place: 'erased',
            headers: undefined,
            storedBytes: 0,
            downloadedAt: undefined,
          })
        : messages.delete(key(account, record.uid)),
    ]);
    await Promise.all([...writes, tx.done]);
    return trash.map((record) => record.uid);
  }

  /** Forgets records the server no longer has and whose bytes are not here (after a DELE committed). */
  async forget(account: string, uids: readonly string[]): Promise<void> {
    const tx = this.db.transaction('messages', 'readwrite');
    const writes = uids.map(async (uid) => {
      const record = await tx.store.get(key(account, uid));
      if (!record) return;
      if (record.storedBytes === 0) await tx.store.delete(key(account, uid));
      else await tx.store.put({ ...record, onServer: false });
    });
    await Promise.all([...writes, tx.done]);
  }

  // ── raw bytes ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Stores a downloaded message and proves it: the byte count must equal `expectedSize` (LIST's),
   * the transaction must complete, and the bytes read back (in a new transaction, after the commit)
   * must equal those received. Only then is `downloadedAt` set — the mark a DELE requires. Throws a
   * MailStoreError (`quota`, `mismatch`, `missing`, `failed`); on `quota` nothing was written.
   */
  async putRaw(
    account: string,
    uid: string,
    bytes: Uint8Array,
    expectedSize: number,
    headers?: HeaderSummary,
  ): Promise<StoredMessage> {
    const [result] = await this.putRawBatch(account, [{ uid, bytes, expectedSize, headers }]);
    if (result instanceof MailStoreError) throw result;
    return result!;
  }

  /**
   * `putRaw` for several messages in three transactions instead of three each: every message is
   * written in one strict transaction, read back in one, and marked saved in one. The proof stays per
   * message: each one's bytes read back after the commit must equal those received before its
   * `downloadedAt` is set. Per message: its verified record, or a MailStoreError (`mismatch`: its
   * bytes differ from LIST's size or from what was read back; `missing`: emptied from Trash, or its
   * record went) that leaves it unsaved. The batch's own failures throw, with none of it marked
   * saved: `quota` (the write transaction aborted, so nothing of the batch was written) or `failed`.
   * Measured (profile/store.ts, 1,000 × 50 KB, load 7–9): three transactions a message, two of them
   * flushed, took 4.1 s of the page's main thread for putRaw alone; `transaction()` itself 0.9 s.
   */
  async putRawBatch(
    account: string,
    items: readonly RawWrite[],
  ): Promise<Array<StoredMessage | MailStoreError>> {
    const results: Array<StoredMessage | MailStoreError | undefined> = items.map((item) =>
      item.bytes.length === item.expectedSize
        ? undefined
        : new MailStoreError(
            'mismatch',
            `received ${item.bytes.length} bytes, LIST said ${item.expectedSize}`,
          ),
    );
    const pending = () => items.flatMap((item, index) => (results[index] === undefined ? [index] : []));
    const now = this.now();
    if (pending().length > 0) {
      try {
        // 'strict': the commit is flushed to disk before `complete` (Chromium's default is relaxed).
        const tx = this.db.transaction(['messages', 'raw'], 'readwrite', { durability: 'strict' });
        const messages = tx.objectStore('messages');
        const raw = tx.objectStore('raw');
        const writes = pending().map(async (index) => {
          const { uid, bytes, expectedSize, headers } = items[index]!;
          const record =
            (await messages.get(key(account, uid))) ?? newRecord(account, uid, expectedSize, now);
          if (record.place === 'erased') {
            results[index] = new MailStoreError('missing', 'the message was emptied from Trash');
            return;
          }
          await Promise.all([
            raw.put({ bytes: exactCopy(bytes) }, key(account, uid)),
            messages.put({
              ...record,
              headers: headers ? storedHeaders(headers) : record.headers,
              size: expectedSize,
              storedBytes: 0,
            }),
          ]);
        });
        await allOrNothing(tx, writes);
      } catch (error) {
        throw storeError(error, 'saving messages');
      }
    }
    const written = pending();
    if (written.length > 0) {
      const tx = this.db.transaction('raw');
      const back = await Promise.all([
        ...written.map((index) => tx.store.get(key(account, items[index]!.uid))),
        tx.done,
      ]).catch((error: unknown) => {
        throw storeError(error, 'reading saved messages back');
      });
      written.forEach((index, at) => {
        const stored = (back[at] as { bytes: Uint8Array } | undefined)?.bytes;
        if (!stored || !sameBytes(stored, items[index]!.bytes))
          results[index] = new MailStoreError(
            'mismatch',
            'the stored bytes read back differ from those received',
          );
      });
    }
    const proven = pending();
    if (proven.length > 0) {
      const tx = this.db.transaction('messages', 'readwrite', { durability: 'strict' });
      const marks = proven.map(async (index) => {
        const { uid, bytes } = items[index]!;
        const record = await tx.store.get(key(account, uid));
        if (!record) {
          results[index] = new MailStoreError('missing', 'the record went while it was being saved');
          return;
        }
        const verified: StoredMessage = { ...record, downloadedAt: now, storedBytes: bytes.length };
        await tx.store.put(verified);
        results[index] = verified;
      });
      await allOrNothing(tx, marks).catch((error: unknown) => {
        throw storeError(error, 'marking messages saved');
      });
    }
    return results.map((result) => result!);
  }

  /** The raw message exactly as stored, or undefined. */
  async raw(account: string, uid: string): Promise<Uint8Array | undefined> {
    return (await this.db.get('raw', key(account, uid)))?.bytes;
  }

  /**
   * The raw messages of an account (or of one folder, or only the UIDLs in `only`), oldest first, one
   * at a time, for an export. The pass over the records keeps only each one's UIDL and arrival
   * (`storeReadLimits.exportRecords`); each message is read with its record in a transaction of its own when the
   * consumer asks for it, so memory stays at one message and a small index however large the mailbox.
   * A message erased or emptied meanwhile is skipped.
   */
  async *rawMessages(
    account: string,
    folder?: Folder,
    only?: ReadonlySet<string>,
  ): AsyncGenerator<RawMessage> {
    const order = await this.exportOrder(account, folder, only);
    for (const { uid } of order) {
      const tx = this.db.transaction(['messages', 'raw']);
      const [record, raw] = await Promise.all([
        tx.objectStore('messages').get(key(account, uid)),
        tx.objectStore('raw').get(key(account, uid)),
      ]);
      if (record && raw && hasSavedCopy(record, folder)) yield { message: record, bytes: raw.bytes };
    }
  }

  private async exportOrder(
    account: string,
    folder: Folder | undefined,
    only: ReadonlySet<string> | undefined,
  ): Promise<Array<{ uid: string; firstSeen: number }>> {
    const order: Array<{ uid: string; firstSeen: number }> = [];
    for await (const page of this.recordPages(account, storeReadLimits.exportRecords)) {
      for (const record of page) {
        if (hasSavedCopy(record, folder) && (!only || only.has(record.uid))) {
          order.push({ uid: record.uid, firstSeen: record.firstSeen });
        }
      }
    }
    return order.sort(byArrival);
  }

  /**
   * Imports a message from a file (mbox, .eml) into a folder: its UIDL is `import-` and the SHA-256 of
   * its bytes, so importing the same message twice keeps one copy. Kept only on this device. Each is
   * first seen a millisecond after the one imported before it (so an export keeps a file's order);
   * `mboxFrom` is the `From ` line it had in an mbox, written again by an mbox export.
   */
  async importRaw(
    account: string,
    bytes: Uint8Array,
    folder: Folder = 'inbox',
    mboxFrom?: string,
  ): Promise<StoredMessage> {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', exactCopy(bytes)));
    const uid = `import-${[...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
    const existing = await this.message(account, uid);
    if (existing && existing.storedBytes === bytes.length) return existing;
    this.lastImportStamp = Math.max(this.now(), this.lastImportStamp + 1);
    const tx = this.db.transaction('messages', 'readwrite');
    await Promise.all([
      tx.store.put({
        ...newRecord(account, uid, bytes.length, this.lastImportStamp),
        place: folder,
        onServer: false,
        imported: true,
        ...(mboxFrom === undefined ? {} : { mboxFrom }),
      }),
      tx.done,
    ]);
    return this.putRaw(account, uid, bytes, bytes.length, storedHeaders(summarizeHeaders(bytes)));
  }

  /**
   * Messages and raw bytes stored for an account, read `storeReadLimits.records` records a task: all 10,000
   * records in one read held Chromium's main thread for 111 ms (structured-clone reads; `pnpm bench
   * search-page`, load 16–29), the longest task left while the search worker indexed.
   */
  async usage(account: string): Promise<Usage> {
    let bytes = 0;
    let messages = 0;
    for await (const page of this.recordPages(account, storeReadLimits.records)) {
      for (const record of page) {
        if (record.storedBytes === 0) continue;
        messages++;
        bytes += record.storedBytes;
      }
    }
    return { messages, bytes };
  }

  /**
   * An account's records a page at a time (`storeReadLimits.records`, each read in a task of its
   * own), for a reader that keeps only a part of each: the pages it is done with are young garbage,
   * where collecting every record first would hold them all until the last page is in.
   */
  pages(account: string): AsyncGenerator<StoredMessage[]> {
    return this.recordPages(account, storeReadLimits.records);
  }

  /**
   * The UIDLs of an account's records, from their keys alone (`storeReadLimits.records` a read, each
   * in a task of its own): no record is read. The header cache's `retain` read all 10,000 records
   * (about 1 KB each) at the list's end only to learn which UIDLs were there, garbage that lived long
   * enough to be promoted while the search worker indexed (pnpm bench search-page).
   */
  async uids(account: string): Promise<string[]> {
    const uids: string[] = [];
    let range = accountRange(account);
    for (;;) {
      const keys = await this.db.getAllKeys('messages', range, storeReadLimits.records);
      for (const [, uid] of keys) uids.push(uid);
      if (keys.length < storeReadLimits.records) return uids;
      range = IDBKeyRange.bound(key(account, uids.at(-1)!), [account, []], true);
      await nextTask();
    }
  }

  /** An account's records in key order, `perRead` a transaction, each read after the last in a task of its own. */
  private async *recordPages(account: string, perRead: number): AsyncGenerator<StoredMessage[]> {
    let range = accountRange(account);
    for (;;) {
      const page = await this.db.getAll('messages', range, perRead);
      yield page;
      if (page.length < perRead) return;
      range = IDBKeyRange.bound(key(account, page.at(-1)!.uid), [account, []], true);
      await nextTask();
    }
  }
}
