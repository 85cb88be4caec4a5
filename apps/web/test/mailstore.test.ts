import 'fake-indexeddb/auto';
import { IDBDatabase as FDBDatabase, IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import {
  MailStore,
  MailStoreError,
  SCHEMA_VERSION,
  appearanceLimits,
  defaultAccountSettings,
  listingWriteLimits,
  normalizeAppearance,
  normalizeSettings,
  storeReadLimits,
} from '../src/mailstore/index.js';
import { mail } from './support/fake-client.js';

const account = 'server:demo|demo';
const server = { kind: 'configured', id: 'demo', label: 'Demo mailbox' } as const;

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const bytesOf = (subject: string, body = 'hello') =>
  mail(
    { From: 'Alice <alice@example.org>', Subject: subject, Date: 'Mon, 10 Nov 2025 09:00:00 +0000' },
    body,
  );

async function openFresh(time = clock()) {
  return MailStore.open({ factory: new IDBFactory(), now: time.now });
}

describe('mail store: accounts and settings', () => {
  it('remembers an account with default settings, keeps its settings on the next sign-in', async () => {
    const time = clock();
    const store = await openFresh(time);
    const first = await store.rememberAccount({ key: account, server, username: 'demo' });
    expect(first.settings).toEqual(defaultAccountSettings);
    const settings = {
      serverCopy: { kind: 'afterDays', days: 7 },
      keepOnDevice: { kind: 'everything' },
      evictionAcknowledged: true,
    } as const;
    await store.saveSettings(account, settings);
    time.advance(5);
    const again = await store.rememberAccount({ key: account, server, username: 'demo' });
    expect(again.settings).toEqual(settings);
    expect(again.lastSignIn).toBe(1_000_005);
    time.advance(5);
    await store.rememberAccount({ key: 'server:demo|other', server, username: 'other' });
    expect((await store.accounts()).map((stored) => stored.username)).toEqual(['other', 'demo']);
    await expect(store.saveSettings('nobody', settings)).rejects.toMatchObject({ kind: 'missing' });
  });
});

describe('mail store: display name, colour and forgetting an account', () => {
  it('keeps a display name and colour in the settings record, normalized; records without them read as before', async () => {
    const store = await openFresh();
    await store.rememberAccount({ key: account, server, username: 'demo' });
    expect((await store.account(account))?.settings.appearance).toBeUndefined();
    const settings = normalizeSettings({
      ...defaultAccountSettings,
      appearance: { displayName: `  Work ${'x'.repeat(100)}`, colour: '#D1432F' },
    });
    await store.saveSettings(account, settings);
    const saved = (await store.account(account))?.settings.appearance;
    expect(saved?.colour).toBe('#d1432f');
    expect(saved?.displayName).toHaveLength(appearanceLimits.displayNameChars);
    expect(saved?.displayName.startsWith('Work x')).toBe(true);
    expect(normalizeAppearance({ displayName: '', colour: 'red; background: url(x)' }).colour).toBeNull();
    // The next sign-in keeps them with the rest of the settings.
    await store.rememberAccount({ key: account, server, username: 'demo' });
    expect((await store.account(account))?.settings.appearance).toEqual(saved);
  });

  it('says what an account keeps here, and forgets all of it and nothing of another account', async () => {
    const store = await openFresh();
    const other = 'server:demo|other';
    for (const key of [account, other]) {
      await store.rememberAccount({ key, server, username: key === account ? 'demo' : 'other' });
      await store.recordListing(key, [
        { uid: 'saved', size: 0 },
        { uid: 'headers', size: 10 },
      ]);
      const bytes = bytesOf('Saved');
      await store.putRaw(key, 'saved', bytes, bytes.length);
      await store.importRaw(key, bytesOf('Imported'));
      await store.compose.putDraft({
        account: key,
        id: 'd1',
        to: '',
        cc: '',
        bcc: '',
        subject: 'Draft',
        text: 'typed',
        attachments: [],
        keepCopyOnServer: false,
        inReplyTo: undefined,
        references: [],
      });
    }
    const held = await store.holdings(account);
    expect(held).toMatchObject({ messages: 2, onlyHere: 1, drafts: 1 });
    expect(held.bytes).toBe((await store.usage(account)).bytes);

    expect(await store.forgetAccount(account)).toEqual(held);
    expect(await store.account(account)).toBeUndefined();
    expect(await store.messages(account)).toEqual([]);
    expect(await store.raw(account, 'saved')).toBeUndefined();
    expect(await store.compose.drafts(account)).toEqual([]);
    expect(await store.holdings(account)).toEqual({ messages: 0, bytes: 0, onlyHere: 0, drafts: 0 });
    // The other account is untouched.
    expect((await store.accounts()).map((stored) => stored.key)).toEqual([other]);
    expect(await store.holdings(other)).toMatchObject({ messages: 2, onlyHere: 1, drafts: 1 });
    expect(await store.raw(other, 'saved')).toEqual(bytesOf('Saved'));
    // Signing in again starts afresh: default settings, nothing saved.
    const again = await store.rememberAccount({ key: account, server, username: 'demo' });
    expect(again.settings).toEqual(defaultAccountSettings);
  });
});

describe('mail store: raw messages', () => {
  it('stores the bytes exactly as received and marks them durably committed', async () => {
    const time = clock();
    const store = await openFresh(time);
    await store.recordListing(account, [{ uid: 'u1', size: 0 }]);
    const raw = bytesOf('One', 'line\r\n..dot\r\n\u00e9');
    // A view into a larger buffer: only the view's bytes are stored.
    const framed = new Uint8Array(raw.length + 8);
    framed.set(raw, 4);
    const view = framed.subarray(4, 4 + raw.length);
    time.advance(10);
    const saved = await store.putRaw(account, 'u1', view, raw.length);
    expect(saved.downloadedAt).toBe(1_000_010);
    expect(saved.storedBytes).toBe(raw.length);
    const back = await store.raw(account, 'u1');
    expect(back).toEqual(raw);
    expect(back?.buffer.byteLength).toBe(raw.length);
    expect(await store.usage(account)).toEqual({ messages: 1, bytes: raw.length });
  });

  it('sums the usage over more records than one read takes, and only the account asked for', async () => {
    const store = await openFresh();
    const count = storeReadLimits.records * 2 + 1;
    const uids = Array.from({ length: count }, (_, n) => `m${String(n).padStart(5, '0')}`);
    await store.recordListing(
      account,
      uids.map((uid) => ({ uid, size: 0 })),
    );
    await store.recordListing('server:other|x', [{ uid: 'zz', size: 0 }]);
    // Saved: the first, one on each slice's edge, the last; and one of the other account.
    const saved = [
      uids[0]!,
      uids[storeReadLimits.records - 1]!,
      uids[storeReadLimits.records]!,
      uids[count - 1]!,
    ];
    let bytes = 0;
    for (const uid of saved) {
      const raw = bytesOf(uid, 'body');
      bytes += raw.length;
      await store.putRaw(account, uid, raw, raw.length);
    }
    const other = bytesOf('Other', 'body');
    await store.putRaw('server:other|x', 'zz', other, other.length);
    expect(await store.usage(account)).toEqual({ messages: 4, bytes });
    expect(await store.usage('server:other|x')).toEqual({ messages: 1, bytes: other.length });
  });

  it("lists an account's UIDLs from the keys alone, over more than one read, and only that account's", async () => {
    const store = await openFresh();
    const count = storeReadLimits.records * 2 + 1;
    const uids = Array.from({ length: count }, (_, n) => `m${String(n).padStart(5, '0')}`);
    await store.recordListing(
      account,
      uids.map((uid) => ({ uid, size: 10 })),
    );
    await store.recordListing(`${account}x`, [{ uid: 'other', size: 10 }]);
    await store.recordListing('server:other|x', [{ uid: 'zz', size: 10 }]);
    expect(await store.uids(account)).toEqual(uids);
    expect(await store.uids('server:other|x')).toEqual(['zz']);
    expect(await store.uids('server:none|x')).toEqual([]);
  });

  it('refuses bytes whose count differs from LIST and does not mark them saved', async () => {
    const store = await openFresh();
    await store.recordListing(account, [{ uid: 'u1', size: 100 }]);
    const error = await store.putRaw(account, 'u1', bytesOf('One'), 100).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailStoreError);
    expect((error as MailStoreError).kind).toBe('mismatch');
    expect((await store.message(account, 'u1'))?.downloadedAt).toBeUndefined();
    expect(await store.raw(account, 'u1')).toBeUndefined();
  });

  it('a quota error stops with kind quota and writes nothing', async () => {
    const store = await openFresh();
    await store.recordListing(account, [{ uid: 'u1', size: 5 }]);
    // The browser's own error for a full origin, raised where IndexedDB raises it.
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      await expect(store.putRaw(account, 'u1', new Uint8Array(5), 5)).rejects.toMatchObject({
        kind: 'quota',
      });
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(await store.raw(account, 'u1')).toBeUndefined();
    expect((await store.message(account, 'u1'))?.storedBytes).toBe(0);
  });

  it('streams raw messages one by one, per folder, skipping those without bytes', async () => {
    const store = await openFresh();
    await store.recordListing(account, [
      { uid: 'a', size: 0 },
      { uid: 'b', size: 0 },
      { uid: 'c', size: 0 },
    ]);
    for (const uid of ['a', 'b']) {
      const bytes = bytesOf(uid);
      await store.putRaw(account, uid, bytes, bytes.length);
    }
    await store.setState(account, ['b'], { place: 'archive' });
    const all: string[] = [];
    for await (const { message, bytes } of store.rawMessages(account)) {
      all.push(message.uid);
      expect(bytes).toEqual(bytesOf(message.uid));
    }
    expect(all).toEqual(['a', 'b']);
    const archived: string[] = [];
    for await (const { message } of store.rawMessages(account, 'archive')) archived.push(message.uid);
    expect(archived).toEqual(['b']);
  });

  it('streams an export past one read page, oldest first, only the selection, skipping one emptied meanwhile', async () => {
    const store = await openFresh();
    // Imported messages' UIDLs are SHA-256 digests, so their key order is not their arrival order: a
    // page boundary in the pass over the records would show as a wrong order.
    const count = storeReadLimits.exportRecords * 2 + 3;
    const arrived: string[] = [];
    for (let index = 0; index < count; index++) {
      arrived.push((await store.importRaw(account, bytesOf(`Message ${index}`))).uid);
    }
    expect([...arrived].sort()).not.toEqual(arrived);
    const streamed: string[] = [];
    for await (const { message, bytes } of store.rawMessages(account)) {
      expect(bytes).toEqual(bytesOf(`Message ${streamed.length}`));
      streamed.push(message.uid);
    }
    expect(streamed).toEqual(arrived);

    const [first, middle, last] = [arrived[0]!, arrived[600]!, arrived[count - 1]!];
    const selected: string[] = [];
    for await (const { message } of store.rawMessages(account, undefined, new Set([last, middle, first]))) {
      selected.push(message.uid);
      if (message.uid === first) {
        await store.setState(account, [middle], { place: 'trash' });
        await store.emptyTrash(account);
      }
    }
    expect(selected).toEqual([first, last]);
  });

  it('imports a message once (its UIDL is its SHA-256), kept only on this device', async () => {
    const store = await openFresh();
    const bytes = bytesOf('Imported');
    const first = await store.importRaw(account, bytes, 'archive');
    const again = await store.importRaw(account, bytes, 'archive');
    expect(again.uid).toBe(first.uid);
    expect(first.uid).toMatch(/^import-[0-9a-f]{64}$/);
    expect(first).toMatchObject({
      onServer: false,
      imported: true,
      place: 'archive',
      storedBytes: bytes.length,
    });
    expect(first.headers?.subject).toBe('Imported');
    expect(await store.messages(account)).toHaveLength(1);
  });
});

describe('mail store: a batch of downloads (putRawBatch)', () => {
  const uids = ['a', 'b', 'c', 'd'];
  const writes = () =>
    uids.map((uid) => {
      const bytes = bytesOf(uid, `body of ${uid}`);
      return { uid, bytes, expectedSize: bytes.length };
    });

  it('proves each message on its own: one of the wrong size and one emptied from Trash stay unsaved', async () => {
    const store = await openFresh();
    await store.recordListing(
      account,
      uids.map((uid) => ({ uid, size: 0 })),
    );
    await store.setState(account, ['d'], { place: 'trash' });
    await store.emptyTrash(account);
    const items = writes();
    items[1] = { ...items[1]!, expectedSize: items[1]!.bytes.length + 1 };
    const results = await store.putRawBatch(account, items);
    expect(results.map((r) => (r instanceof MailStoreError ? r.kind : 'saved'))).toEqual([
      'saved',
      'mismatch',
      'saved',
      'missing',
    ]);
    for (const uid of ['a', 'c']) {
      const index = uids.indexOf(uid);
      expect(await store.raw(account, uid)).toEqual(items[index]!.bytes);
      expect(await store.message(account, uid)).toMatchObject({
        downloadedAt: 1_000_000,
        storedBytes: items[index]!.bytes.length,
      });
    }
    expect(await store.raw(account, 'b')).toBeUndefined();
    expect((await store.message(account, 'b'))?.downloadedAt).toBeUndefined();
    expect(await store.raw(account, 'd')).toBeUndefined();
    expect((await store.message(account, 'd'))?.place).toBe('erased');
  });

  it('marks saved only what reads back identical: one altered on its way back is not saved', async () => {
    const store = await openFresh();
    const original = IDBObjectStore.prototype.get;
    // The read-back of c returns other bytes (the store's copy itself stays as written).
    IDBObjectStore.prototype.get = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
      const request = original.call(this, query);
      if (this.name === 'raw' && Array.isArray(query) && query[1] === 'c')
        request.addEventListener('success', () => {
          const value = request.result as { bytes: Uint8Array } | undefined;
          if (value) value.bytes[0] = value.bytes[0]! ^ 1;
        });
      return request;
    };
    let results: Awaited<ReturnType<MailStore['putRawBatch']>>;
    try {
      results = await store.putRawBatch(account, writes());
    } finally {
      IDBObjectStore.prototype.get = original;
    }
    expect(results.map((r) => (r instanceof MailStoreError ? r.kind : 'saved'))).toEqual([
      'saved',
      'saved',
      'mismatch',
      'saved',
    ]);
    expect((await store.message(account, 'c'))?.downloadedAt).toBeUndefined();
    expect((await store.message(account, 'd'))?.downloadedAt).toBe(1_000_000);
  });

  it('a quota error on the third message writes nothing of the batch and throws kind quota', async () => {
    const store = await openFresh();
    await store.recordListing(
      account,
      uids.map((uid) => ({ uid, size: 0 })),
    );
    const original = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      // Two puts a message (its bytes, its record): the fifth is the third message's.
      if (++puts === 5) throw new DOMException('full', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      await expect(store.putRawBatch(account, writes())).rejects.toMatchObject({ kind: 'quota' });
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    for (const uid of uids) {
      expect(await store.raw(account, uid)).toBeUndefined();
      expect(await store.message(account, uid)).toMatchObject({ storedBytes: 0, downloadedAt: undefined });
    }
    // The same batch again, with room, is saved whole.
    const again = await store.putRawBatch(account, writes());
    expect(again.every((r) => !(r instanceof MailStoreError))).toBe(true);
  });

  it('a failure while marking the batch saved marks none of it saved', async () => {
    const store = await openFresh();
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      const [value] = args as [{ uid?: string; downloadedAt?: number }];
      if (value.uid === 'c' && value.downloadedAt !== undefined) throw new Error('disk gone');
      return original.apply(this, args);
    };
    try {
      await expect(store.putRawBatch(account, writes())).rejects.toMatchObject({ kind: 'failed' });
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    for (const uid of uids) expect((await store.message(account, uid))?.downloadedAt).toBeUndefined();
  });
});

describe('mail store: listings, folders, Trash', () => {
  it('records first seen once per UIDL; a message gone from the server stays when its bytes are here', async () => {
    const time = clock();
    const store = await openFresh(time);
    await store.recordListing(account, [
      { uid: 'kept', size: 0 },
      { uid: 'headers-only', size: 10 },
    ]);
    const bytes = bytesOf('Kept');
    await store.putRaw(account, 'kept', bytes, bytes.length);
    time.advance(1000);
    const second = await store.recordListing(account, [{ uid: 'new', size: 3 }]);
    const byUid = new Map(second.map((record) => [record.uid, record]));
    expect(byUid.get('kept')).toMatchObject({ onServer: false, firstSeen: 1_000_000 });
    expect(byUid.has('headers-only')).toBe(false);
    expect(byUid.get('new')).toMatchObject({ onServer: true, firstSeen: 1_001_000, size: 3 });
    expect(await store.raw(account, 'kept')).toEqual(bytes);
  });

  it('works out a listing longer than one task’s share in several tasks, and records all of it in order', async () => {
    const store = await openFresh();
    const count = listingWriteLimits.changesPerTask * 2 + 3;
    const listed = Array.from({ length: count }, (_, i) => ({ uid: `c${i}`, size: i + 1 }));
    const records = await store.recordListing(account, listed);
    expect(records.map((record) => record.uid)).toEqual(listed.map(({ uid }) => uid));
    expect(records.map((record) => record.size)).toEqual(listed.map(({ size }) => size));
    expect((await store.messages(account)).length).toBe(count);
  });

  it('writes a large listing in slices, each a transaction of its own, keeping writes made meanwhile', async () => {
    const store = await openFresh();
    const count = listingWriteLimits.records * 4 + 7;
    const listed = Array.from({ length: count }, (_, i) => ({ uid: `u${i}`, size: i }));
    const transaction = vi.spyOn(FDBDatabase.prototype, 'transaction');
    const listing = store.recordListing(account, listed);
    // Headers written while the listing's slices are still to come are not overwritten by them.
    const last = `u${count - 1}`;
    const headers = store.putHeaders(account, [
      [last, { from: { name: 'Ann', address: 'ann@example.org' }, subject: 'Meanwhile', date: undefined }],
    ]);
    const [records] = await Promise.all([listing, headers]);
    const writes = transaction.mock.calls.filter(([, mode]) => mode === 'readwrite').length;
    transaction.mockRestore();
    expect(writes).toBe(Math.ceil(count / listingWriteLimits.records) + 1); // + putHeaders' own
    expect(records.map((record) => record.uid)).toEqual(listed.map(({ uid }) => uid));
    expect(await store.message(account, last)).toMatchObject({
      onServer: true,
      size: count - 1,
      headers: { subject: 'Meanwhile' },
    });
    expect(await store.messages(account)).toHaveLength(count);
    // The same listing again changes nothing, so writes nothing.
    const again = vi.spyOn(FDBDatabase.prototype, 'transaction');
    await store.recordListing(account, listed);
    expect(again.mock.calls.filter(([, mode]) => mode === 'readwrite')).toHaveLength(0);
    again.mockRestore();
  });

  it('writes headers keeping what else a record holds: one range read where the UIDLs lie together, a get each where not', async () => {
    const store = await openFresh();
    const uids = Array.from({ length: 50 }, (_, i) => `u${String(i).padStart(3, '0')}`);
    await store.recordListing(
      account,
      uids.map((uid) => ({ uid, size: 5 })),
    );
    await store.putRaw(account, 'u010', new Uint8Array(5), 5);
    await store.setState(account, ['u020'], { read: true, starred: true });
    await store.setState(account, ['u030'], { place: 'archive' });
    const summary = (subject: string) => ({ from: undefined, subject, date: 7 });
    const get = vi.spyOn(IDBObjectStore.prototype, 'get');
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    // The listing's order is not the key order, and one UIDL is not recorded yet.
    await store.putHeaders(
      account,
      [...uids]
        .reverse()
        .concat('v-new')
        .map((uid) => [uid, summary(uid)]),
    );
    expect(get).not.toHaveBeenCalled();
    expect(getAll).toHaveBeenCalledTimes(1);
    // Two UIDLs with 48 records between them: read one by one.
    await store.putHeaders(account, [
      ['u010', summary('again')],
      ['u049', summary('again')],
    ]);
    expect(get).toHaveBeenCalledTimes(2);
    expect(getAll).toHaveBeenCalledTimes(1);
    get.mockRestore();
    getAll.mockRestore();
    const saved = await store.message(account, 'u010');
    expect(saved).toMatchObject({ storedBytes: 5, onServer: true, headers: { subject: 'again' } });
    expect(saved?.downloadedAt).toBeDefined();
    expect(await store.message(account, 'u020')).toMatchObject({
      read: true,
      starred: true,
      headers: { subject: 'u020' },
    });
    expect(await store.message(account, 'u030')).toMatchObject({
      place: 'archive',
      headers: { subject: 'u030' },
    });
    expect(await store.message(account, 'v-new')).toMatchObject({
      size: 0,
      place: 'inbox',
      headers: { subject: 'v-new' },
    });
    expect(await store.messages(account)).toHaveLength(51);
  });

  it('issues a header slice’s puts a group at a time, each group after the last one was answered', async () => {
    const store = await openFresh();
    const count = listingWriteLimits.writesPerTask * 2 + 5;
    const original = IDBObjectStore.prototype.put;
    const requests: IDBRequest[] = [];
    const afterAnswered: number[] = [];
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (requests.at(-1)?.readyState === 'done') afterAnswered.push(requests.length);
      const request = original.apply(this, args);
      requests.push(request);
      return request;
    };
    try {
      await store.putHeaders(
        account,
        Array.from(
          { length: count },
          (_, i) => [`h${i}`, { from: undefined, subject: `${i}`, date: undefined }] as const,
        ),
      );
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(requests).toHaveLength(count);
    expect(afterAnswered).toEqual([listingWriteLimits.writesPerTask, listingWriteLimits.writesPerTask * 2]);
    expect((await store.messages(account)).filter((record) => record.headers)).toHaveLength(count);
  });

  it('a header write that fails part way writes none of its slice', async () => {
    const store = await openFresh();
    await store.recordListing(account, [
      { uid: 'a', size: 1 },
      { uid: 'b', size: 1 },
      { uid: 'c', size: 1 },
    ]);
    const original = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (++puts === 3) throw new DOMException('full', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      await expect(
        store.putHeaders(account, [
          ['a', { from: undefined, subject: 'A', date: undefined }],
          ['b', { from: undefined, subject: 'B', date: undefined }],
          ['c', { from: undefined, subject: 'C', date: undefined }],
        ]),
      ).rejects.toThrow('full');
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect((await store.messages(account)).map((record) => record.headers)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('moves to Trash and back; Empty trash erases bytes but remembers the UIDL while the server has it', async () => {
    const store = await openFresh();
    await store.recordListing(account, [
      { uid: 'a', size: 0 },
      { uid: 'b', size: 0 },
    ]);
    const bytes = bytesOf('A');
    await store.putRaw(account, 'a', bytes, bytes.length);
    await store.setState(account, ['a', 'b'], { place: 'trash' });
    await store.setState(account, ['b'], { place: 'inbox' });
    expect((await store.messages(account, 'trash')).map((record) => record.uid)).toEqual(['a']);
    expect(await store.emptyTrash(account)).toEqual(['a']);
    expect(await store.raw(account, 'a')).toBeUndefined();
    expect(await store.message(account, 'a')).toMatchObject({
      place: 'erased',
      storedBytes: 0,
      headers: undefined,
    });
    // An erased message is not saved again, nor moved back by a late state change.
    await expect(store.putRaw(account, 'a', bytes, bytes.length)).rejects.toMatchObject({ kind: 'missing' });
    await store.setState(account, ['a'], { place: 'inbox' });
    expect((await store.message(account, 'a'))?.place).toBe('erased');
    // The next listing without it forgets it.
    await store.recordListing(account, [{ uid: 'b', size: 0 }]);
    expect(await store.message(account, 'a')).toBeUndefined();
  });
});

describe('mail store: schema versions', () => {
  /** Writes a database exactly as version 1 (the header cache) did: two stores, keys [account, uid]. */
  async function writeVersion1(factory: IDBFactory): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const request = factory.open('webpop', 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore('headers');
        request.result.createObjectStore('read');
      };
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const db = request.result;
        const tx = db.transaction(['headers', 'read'], 'readwrite');
        tx.objectStore('headers').put(
          { from: { name: 'A', address: 'a@example.org' }, subject: 'Old', date: 5 },
          [account, 'u1'],
        );
        tx.objectStore('headers').put({ from: undefined, subject: 'Other', date: undefined }, ['x|y', 'u1']);
        tx.objectStore('read').put(true, [account, 'u1']);
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
  }

  it('opens a database written by version 1 and folds the header cache into message records', async () => {
    const factory = new IDBFactory();
    await writeVersion1(factory);
    const store = await MailStore.open({ factory, now: () => 42 });
    expect(await store.messages(account)).toEqual([
      {
        account,
        uid: 'u1',
        headers: { from: { name: 'A', address: 'a@example.org' }, subject: 'Old', date: 5 },
        size: 0,
        read: true,
        starred: false,
        place: 'inbox',
        firstSeen: 42,
        downloadedAt: undefined,
        storedBytes: 0,
        onServer: true,
        imported: false,
      },
    ]);
    expect((await store.messages('x|y'))[0]).toMatchObject({ read: false, headers: { subject: 'Other' } });
    store.close();
    const reopened = await new Promise<IDBDatabase>((resolve) => {
      const request = factory.open('webpop');
      request.onsuccess = () => resolve(request.result);
    });
    expect(reopened.version).toBe(SCHEMA_VERSION);
    expect([...reopened.objectStoreNames].sort()).toEqual(['accounts', 'drafts', 'messages', 'raw']);
    reopened.close();
  });

  it('a second page opens the same database and sees what the first wrote', async () => {
    const factory = new IDBFactory();
    const first = await MailStore.open({ factory });
    const bytes = bytesOf('Shared');
    await first.putRaw(account, 'u', bytes, bytes.length);
    const second = await MailStore.open({ factory });
    expect(await second.raw(account, 'u')).toEqual(bytes);
  });

  it('is unavailable where IndexedDB cannot be opened', async () => {
    const broken = {
      open: () => {
        throw new Error('disabled');
      },
    } as unknown as IDBFactory;
    await expect(MailStore.open({ factory: broken })).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
