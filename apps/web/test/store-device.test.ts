import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { downloadLimits, MailStore, MailStoreError, type AccountSettings } from '../src/mailstore/index.js';
import type { AppState } from '../src/store/app-store.js';
import type { StorageAccess } from '../src/store/device-slice.js';
import { accountKey } from '../src/session/types.js';
import { message, setup, signInParams, threeMessages, until } from './support/app.js';
import type { FakeMessage } from './support/fake-client.js';

const key = accountKey(signInParams);
const DAY = 86_400_000;

const downloaded = (state: AppState) =>
  state.device.download.phase === 'done' || state.device.download.phase === 'stopped';

function storage(options: { persisted?: boolean; quota?: number; usage?: number } = {}): StorageAccess {
  let persisted = options.persisted ?? false;
  return {
    estimate: async () => ({ usage: options.usage ?? 0, quota: options.quota ?? 1e12 }),
    persisted: async () => persisted,
    persist: async () => {
      persisted = true;
      return true;
    },
  };
}

/** A page of the app over a device's database (`factory`): a new page is a new call. */
async function page(
  factory: IDBFactory,
  messages: FakeMessage[],
  options: { storage?: StorageAccess; now?: () => number; settings?: AccountSettings } = {},
) {
  const now = options.now ?? (() => 1_000_000);
  const mailStore = MailStore.open({ factory, now });
  if (options.settings) {
    const store = await mailStore;
    await store.rememberAccount({ key, server: signInParams.server, username: signInParams.username });
    await store.saveSettings(key, options.settings);
  }
  return setup(messages, {
    deps: { mailStore: () => mailStore, storage: options.storage ?? storage(), now },
  });
}

const everything = (serverCopy: AccountSettings['serverCopy'] = { kind: 'keep' }, acknowledged = false) =>
  ({ serverCopy, keepOnDevice: { kind: 'everything' }, evictionAcknowledged: acknowledged }) as const;

/** A page with persistent storage and "Everything" under `serverCopy`, signed in, its download done. */
async function signedIn(factory: IDBFactory, serverCopy: AccountSettings['serverCopy']) {
  const app = await page(factory, threeMessages(), {
    storage: storage({ persisted: true }),
    settings: everything(serverCopy),
  });
  await app.actions.signIn(signInParams);
  await until(app.store, downloaded);
  return app;
}

const commandsOf = (app: Awaited<ReturnType<typeof page>>) => app.server.sessions.flatMap((s) => s.commands);

describe('background download', () => {
  /** Two full batches and a partial one (the numbers of the newest first: see planDownload). */
  const batchBoundaries = () =>
    Array.from({ length: downloadLimits.batch * 2 + 3 }, (_, index) =>
      message(`uid-${index + 1}`, `Message ${index + 1}`, 'a@example.org', 'Mon, 10 Nov 2025 09:00:00 +0000'),
    );
  const savedCounts = (app: Awaited<ReturnType<typeof page>>) => {
    const counts: number[] = [];
    app.store.subscribe((state) => {
      const { download } = state.device;
      if (download.phase !== 'idle' && counts.at(-1) !== download.saved) counts.push(download.saved);
    });
    return counts;
  };

  it('stores a full batch at a time and the last partial one, each message once, progress per batch', async () => {
    const factory = new IDBFactory();
    const mail = batchBoundaries();
    const app = await page(factory, mail, { settings: everything() });
    const counts = savedCounts(app);
    await app.actions.signIn(signInParams);
    await until(app.store, downloaded);
    const { batch } = downloadLimits;
    expect(counts).toEqual([0, batch, batch * 2, batch * 2 + 3]);
    expect(app.store.getState().device.download).toMatchObject({ phase: 'done', saved: mail.length });
    const retrs = commandsOf(app).filter((line) => line.startsWith('RETR'));
    expect(retrs).toHaveLength(mail.length);
    expect(new Set(retrs).size).toBe(mail.length);
    const db = await MailStore.open({ factory });
    for (const original of mail) {
      expect(await db.raw(key, original.uid)).toEqual(original.bytes);
      expect((await db.message(key, original.uid))?.downloadedAt).toBeDefined();
    }
    expect(app.store.getState().rows.every((row) => row.saved)).toBe(true);
  });

  it.each([
    ['failed', 'device.saveFailed'],
    ['quota', 'device.quotaStopped'],
  ] as const)(
    'a store that fails (%s) on the second batch keeps the first, sends no DELE, and the next page resumes',
    async (kind, notice) => {
      const factory = new IDBFactory();
      const mail = batchBoundaries();
      const { batch } = downloadLimits;
      const original = MailStore.prototype.putRawBatch;
      let calls = 0;
      const spy = vi.spyOn(MailStore.prototype, 'putRawBatch').mockImplementation(function (
        this: MailStore,
        ...args
      ) {
        if (++calls === 2) return Promise.reject(new MailStoreError(kind, 'the store broke'));
        return original.apply(this, args);
      });
      let first: Awaited<ReturnType<typeof page>>;
      try {
        first = await page(factory, mail, {
          storage: storage({ persisted: true }),
          settings: everything({ kind: 'onceSaved' }),
        });
        await first.actions.signIn(signInParams);
        await until(first.store, downloaded);
      } finally {
        spy.mockRestore();
      }
      expect(first.store.getState().device.download).toMatchObject({
        phase: 'stopped',
        reason: kind,
        saved: batch,
      });
      expect(first.store.getState().notice?.key).toBe(notice);
      expect(commandsOf(first).some((line) => line.startsWith('DELE'))).toBe(false);
      const db = await MailStore.open({ factory });
      const kept = await Promise.all(mail.map(async (m) => (await db.message(key, m.uid))?.downloadedAt));
      // Newest first: the first batch is the highest numbers, and only it is saved.
      expect(kept.filter((at) => at !== undefined)).toHaveLength(batch);
      expect(kept.slice(-batch).every((at) => at !== undefined)).toBe(true);
      await first.actions.signOut();
      expect(first.maildrop.messages).toHaveLength(mail.length);
      first.actions.dispose();

      // The next page downloads only what was not saved, then (every copy proven) deletes from the server.
      const second = await page(factory, mail, { storage: storage({ persisted: true }) });
      await second.actions.signIn(signInParams);
      await until(second.store, downloaded);
      expect(second.store.getState().device.download).toMatchObject({ phase: 'done', saved: mail.length });
      const retrs = commandsOf(second).filter((line) => line.startsWith('RETR'));
      expect(retrs).toHaveLength(mail.length - batch);
      for (const m of mail) expect(await db.raw(key, m.uid)).toEqual(m.bytes);
      expect(commandsOf(second).filter((line) => line.startsWith('DELE'))).toHaveLength(mail.length);
    },
  );

  it('saves every message after the list, exactly as received, and never downloads a UIDL twice', async () => {
    const factory = new IDBFactory();
    const first = await page(factory, threeMessages(), { settings: everything() });
    await first.actions.signIn(signInParams);
    await until(first.store, downloaded);
    expect(first.store.getState().device.download).toEqual({ phase: 'done', saved: 3, total: 3, larger: 0 });
    expect(commandsOf(first).filter((line) => line.startsWith('RETR'))).toEqual([
      'RETR 3',
      'RETR 2',
      'RETR 1',
    ]);
    const db = await MailStore.open({ factory });
    for (const original of first.maildrop.messages)
      expect(await db.raw(key, original.uid)).toEqual(original.bytes);
    // Opening a saved message reads it from the store: no RETR.
    await first.actions.openMessage(2);
    expect(first.store.getState().open?.kind).toBe('ready');
    expect(commandsOf(first).filter((line) => line.startsWith('RETR'))).toHaveLength(3);
    first.actions.dispose();

    // The next page (a reload) with one new message downloads only that one.
    const second = await page(factory, [
      ...threeMessages(),
      message('uid-4', 'Fourth', 'd@example.org', 'Thu, 13 Nov 2025 09:00:00 +0000'),
    ]);
    await second.actions.signIn(signInParams);
    await until(second.store, downloaded);
    expect(commandsOf(second).filter((line) => line.startsWith('RETR'))).toEqual(['RETR 4']);
    expect(second.store.getState().device.download).toMatchObject({ saved: 4, total: 4 });
    expect(second.store.getState().rows.every((row) => row.saved)).toBe(true);
  });

  it('keeps messages up to N KB; "Download the rest" takes the larger ones', async () => {
    const factory = new IDBFactory();
    const big = message(
      'uid-big',
      'Big',
      'b@example.org',
      'Thu, 13 Nov 2025 09:00:00 +0000',
      'x'.repeat(3000),
    );
    const app = await page(factory, [...threeMessages(), big], {
      settings: {
        serverCopy: { kind: 'keep' },
        keepOnDevice: { kind: 'upTo', kb: 2 },
        evictionAcknowledged: false,
      },
    });
    await app.actions.signIn(signInParams);
    await until(app.store, downloaded);
    expect(app.store.getState().device.download).toEqual({ phase: 'done', saved: 3, total: 3, larger: 1 });
    await app.actions.downloadRest();
    expect(app.store.getState().device.download).toMatchObject({ phase: 'done', saved: 4, total: 4 });
    expect(commandsOf(app).filter((line) => line === 'RETR 4')).toHaveLength(1);
  });

  it('headers only downloads nothing', async () => {
    const app = await page(new IDBFactory(), threeMessages(), {
      settings: {
        serverCopy: { kind: 'onceSaved' },
        keepOnDevice: { kind: 'headers' },
        evictionAcknowledged: true,
      },
    });
    await app.actions.signIn(signInParams);
    await until(app.store, downloaded);
    expect(app.store.getState().device.download).toEqual({ phase: 'done', saved: 0, total: 0, larger: 0 });
    expect(commandsOf(app).some((line) => line.startsWith('RETR') || line.startsWith('DELE'))).toBe(false);
  });

  it('a full quota stops downloading with a clear message, deletes nothing and sends no DELE', async () => {
    const app = await page(new IDBFactory(), threeMessages(), {
      storage: storage({ persisted: true, quota: 1_000_000, usage: 999_000 }),
      settings: everything({ kind: 'onceSaved' }),
    });
    await app.actions.signIn(signInParams);
    await until(app.store, downloaded);
    expect(app.store.getState().device.download).toMatchObject({
      phase: 'stopped',
      reason: 'quota',
      saved: 0,
    });
    expect(app.store.getState().notice?.key).toBe('device.quotaStopped');
    expect(commandsOf(app).some((line) => line.startsWith('RETR') || line.startsWith('DELE'))).toBe(false);
    await app.actions.signOut();
    expect(app.maildrop.messages).toHaveLength(3);
  });
});

describe('server-copy policies and the durability rule', () => {
  it('"Remove from the server once saved here": DELE only while storage is persistent or eviction acknowledged', async () => {
    const factory = new IDBFactory();
    const held = await page(factory, threeMessages(), { settings: everything({ kind: 'onceSaved' }) });
    await held.actions.signIn(signInParams);
    await until(held.store, downloaded);
    expect(held.store.getState().device.serverCopy).toEqual({ marked: 0, heldForPersistence: 3 });
    await held.actions.signOut();
    expect(held.maildrop.messages).toHaveLength(3);

    const granted = await page(factory, threeMessages(), { storage: storage({ persisted: true }) });
    await granted.actions.signIn(signInParams);
    await until(granted.store, downloaded);
    expect(granted.store.getState().device.serverCopy).toEqual({ marked: 3, heldForPersistence: 0 });
    expect(commandsOf(granted).filter((line) => line.startsWith('DELE'))).toEqual([
      'DELE 1',
      'DELE 2',
      'DELE 3',
    ]);
    await granted.actions.signOut();
    expect(granted.maildrop.messages).toHaveLength(0);

    // Gone from the server, still readable here, marked as kept only on this device.
    const after = await page(factory, []);
    await after.actions.signIn(signInParams);
    await until(after.store, downloaded);
    const rows = after.store.getState().rows;
    expect(rows.map((row) => [row.uid, row.onServer, row.saved])).toEqual([
      ['uid-1', false, true],
      ['uid-2', false, true],
      ['uid-3', false, true],
    ]);
    await after.actions.openMessage(rows[0]!.number);
    expect(after.store.getState().open).toMatchObject({ kind: 'ready', uid: 'uid-1' });
  });

  it('the connection cut between DELE and QUIT removes nothing; the next session removes them', async () => {
    const factory = new IDBFactory();
    const cut = await page(factory, threeMessages(), {
      storage: storage({ persisted: true }),
      settings: everything({ kind: 'onceSaved' }),
    });
    await cut.actions.signIn(signInParams);
    await until(cut.store, downloaded);
    expect(cut.store.getState().device.serverCopy.marked).toBe(3);
    cut.server.sessions[0]!.drop();
    expect(cut.store.getState().session.kind).toBe('broken');
    expect(cut.maildrop.messages).toHaveLength(3);

    const next = await page(factory, cut.maildrop.messages, { storage: storage({ persisted: true }) });
    await next.actions.signIn(signInParams);
    await until(next.store, downloaded);
    // Nothing downloaded again; the policy marks them again and this QUIT commits.
    expect(commandsOf(next).some((line) => line.startsWith('RETR'))).toBe(false);
    await next.actions.signOut();
    expect(next.maildrop.messages).toHaveLength(0);
  });

  it('"Remove from the server after N days" counts from first seen, per UIDL', async () => {
    const factory = new IDBFactory();
    let now = 1_000_000;
    const clock = () => now;
    const settings = everything({ kind: 'afterDays', days: 7 }, true);
    const first = await page(factory, threeMessages(), { now: clock, settings });
    await first.actions.signIn(signInParams);
    await until(first.store, downloaded);
    expect(first.store.getState().device.serverCopy.marked).toBe(0);
    await first.actions.signOut();

    now += 7 * DAY;
    const fresh = message('uid-4', 'Fourth', 'd@example.org', 'Thu, 13 Nov 2025 09:00:00 +0000');
    const later = await page(factory, [...first.maildrop.messages, fresh], { now: clock });
    await later.actions.signIn(signInParams);
    await until(later.store, downloaded);
    expect(commandsOf(later).filter((line) => line.startsWith('DELE'))).toEqual([
      'DELE 1',
      'DELE 2',
      'DELE 3',
    ]);
    await later.actions.signOut();
    expect(later.maildrop.messages.map((m) => m.uid)).toEqual(['uid-4']);
  });

  it('Delete moves a message to the local Trash and sends no DELE under "Keep on the server"', async () => {
    const factory = new IDBFactory();
    const app = await signedIn(factory, { kind: 'keep' });
    await app.actions.deleteMessage(1);
    expect(app.store.getState().rows.find((row) => row.number === 1)).toMatchObject({
      place: 'trash',
      deleted: false,
    });
    expect(app.store.getState().notice?.key).toBe('delete.trashed');
    await app.actions.signOut();
    expect(commandsOf(app).some((line) => line.startsWith('DELE'))).toBe(false);
    expect(app.maildrop.messages.map((m) => m.uid)).toEqual(['uid-1', 'uid-2', 'uid-3']);
    const db = await MailStore.open({ factory });
    expect((await db.messages(key, 'trash')).map((record) => record.uid)).toEqual(['uid-1']);

    const next = await page(factory, app.maildrop.messages);
    await next.actions.signIn(signInParams);
    await until(next.store, downloaded);
    const places = next.store.getState().rows.map((row) => [row.uid, row.place, row.onServer]);
    expect(places).toEqual([
      ['uid-1', 'trash', true],
      ['uid-2', 'inbox', true],
      ['uid-3', 'inbox', true],
    ]);
  });

  it('"when I delete it here": a proven copy loses its server copy at once (committed at QUIT), kept in Trash here', async () => {
    const factory = new IDBFactory();
    const app = await signedIn(factory, { kind: 'whenDeletedHere' });
    expect(commandsOf(app).some((line) => line.startsWith('DELE'))).toBe(false);
    await app.actions.deleteMessage(1);
    await app.actions.deleteMessage(2);
    expect(commandsOf(app).filter((line) => line.startsWith('DELE'))).toEqual(['DELE 1', 'DELE 2']);
    expect(app.store.getState().device.serverCopy.marked).toBe(2);
    // Undo (RSET) takes the server marks back; the deletions here stay in Trash.
    await app.actions.undoDeletes();
    expect(app.store.getState().rows.map((row) => [row.place, row.deleted])).toEqual([
      ['trash', false],
      ['trash', false],
      ['inbox', false],
    ]);
    app.actions.moveTo(2, 'inbox');
    // The policy runs again with the next Delete: what is in Trash with a proven copy is marked again.
    await app.actions.deleteMessage(3);
    expect(commandsOf(app).filter((line) => line.startsWith('DELE'))).toEqual([
      'DELE 1',
      'DELE 2',
      'DELE 1',
      'DELE 3',
    ]);
    await app.actions.signOut();
    expect(app.maildrop.messages.map((m) => m.uid)).toEqual(['uid-2']);

    const next = await page(factory, app.maildrop.messages);
    await next.actions.signIn(signInParams);
    await until(next.store, downloaded);
    expect(next.store.getState().rows.map((row) => [row.uid, row.place, row.onServer])).toEqual([
      ['uid-2', 'inbox', true],
      ['uid-1', 'trash', false],
      ['uid-3', 'trash', false],
    ]);
  });

  it('"when I delete it here" without a proven copy or durable storage: the server copy goes when Trash is emptied', async () => {
    const messages = threeMessages();
    messages[0] = message(
      'uid-1',
      'Large',
      'Alice <alice@example.org>',
      'Mon, 10 Nov 2025 09:00:00 +0000',
      'x'.repeat(2048),
    );
    const app = await page(new IDBFactory(), messages, {
      settings: {
        serverCopy: { kind: 'whenDeletedHere' },
        keepOnDevice: { kind: 'upTo', kb: 1 },
        evictionAcknowledged: false,
      },
    });
    await app.actions.signIn(signInParams);
    await until(app.store, downloaded);
    expect(app.store.getState().rows.map((row) => row.saved)).toEqual([false, true, true]);
    await app.actions.deleteMessage(1);
    await app.actions.deleteMessage(2);
    // uid-1 has no copy here; uid-2 has, but storage may be evicted: both held.
    expect(commandsOf(app).some((line) => line.startsWith('DELE'))).toBe(false);
    expect(app.store.getState().device.serverCopy.heldForPersistence).toBe(1);
    await app.actions.emptyTrash();
    expect(commandsOf(app).filter((line) => line.startsWith('DELE'))).toEqual(['DELE 1', 'DELE 2']);
    await app.actions.signOut();
    expect(app.maildrop.messages.map((m) => m.uid)).toEqual(['uid-3']);
  });

  it('a drop after Delete under the local Trash removes nothing and keeps the message in Trash', async () => {
    const factory = new IDBFactory();
    const app = await signedIn(factory, { kind: 'whenDeletedHere' });
    await app.actions.deleteMessage(2);
    expect(commandsOf(app)).toContain('DELE 2');
    app.server.sessions.at(-1)!.drop();
    await until(app.store, (state) => state.session.kind === 'broken');
    expect(app.maildrop.messages).toHaveLength(3);
    expect(app.store.getState().rows.find((row) => row.number === 2)?.place).toBe('trash');
    const db = await MailStore.open({ factory });
    expect((await db.messages(key, 'trash')).map((record) => record.uid)).toEqual(['uid-2']);
  });

  it('"Keep on the server" never sends DELE', async () => {
    const app = await page(new IDBFactory(), threeMessages(), {
      storage: storage({ persisted: true }),
      settings: everything({ kind: 'keep' }),
    });
    await app.actions.signIn(signInParams);
    await until(app.store, downloaded);
    await app.actions.signOut();
    expect(commandsOf(app).some((line) => line.startsWith('DELE'))).toBe(false);
    expect(app.maildrop.messages).toHaveLength(3);
  });

  it('saving settings stores them and downloads what a wider rule adds', async () => {
    const factory = new IDBFactory();
    const app = await page(factory, threeMessages(), {
      settings: {
        serverCopy: { kind: 'keep' },
        keepOnDevice: { kind: 'headers' },
        evictionAcknowledged: false,
      },
    });
    await app.actions.signIn(signInParams);
    await until(app.store, downloaded);
    await app.actions.saveAccountSettings(everything({ kind: 'afterDays', days: 0 }));
    await until(
      app.store,
      (state) =>
        downloaded(state) && state.device.download.phase === 'done' && state.device.download.saved === 3,
    );
    const stored = await (await MailStore.open({ factory })).account(key);
    // Days are brought into their limits (at least one).
    expect(stored?.settings).toEqual(everything({ kind: 'afterDays', days: 1 }));
  });
});

describe('local folders', () => {
  it('Archive, Restore, and Empty trash; a message deleted here is in Trash after the QUIT', async () => {
    const factory = new IDBFactory();
    // Deleted here under "when I delete it here" with a proven copy: gone from the server at QUIT.
    const app = await signedIn(factory, { kind: 'whenDeletedHere' });
    app.actions.moveTo(3, 'archive');
    await app.actions.deleteMessage(1);
    await app.actions.signOut();

    const next = await page(factory, app.maildrop.messages, { settings: everything() });
    await next.actions.signIn(signInParams);
    await until(next.store, downloaded);
    const places = () => next.store.getState().rows.map((row) => [row.uid, row.place, row.onServer]);
    expect(places()).toEqual([
      ['uid-2', 'inbox', true],
      ['uid-3', 'archive', true],
      ['uid-1', 'trash', false],
    ]);
    const numberOf = (uid: string) => next.store.getState().rows.find((row) => row.uid === uid)!.number;
    next.actions.moveTo(numberOf('uid-1'), 'inbox');
    expect(places()[2]).toEqual(['uid-1', 'inbox', false]);
    next.actions.moveTo(numberOf('uid-1'), 'trash');
    next.actions.moveTo(numberOf('uid-3'), 'trash');
    await next.actions.emptyTrash();
    // The copy kept only here is gone; the one the server still has is hidden, and not removed there.
    expect(places()).toEqual([
      ['uid-2', 'inbox', true],
      ['uid-3', 'erased', true],
    ]);
    expect(commandsOf(next).some((line) => line.startsWith('DELE'))).toBe(false);
    const db = await MailStore.open({ factory });
    expect(await db.raw(key, 'uid-1')).toBeUndefined();
    expect(await db.raw(key, 'uid-3')).toBeUndefined();
  });

  it('"Remove from the server when I delete it here": emptying Trash marks the server copies', async () => {
    const app = await page(new IDBFactory(), threeMessages(), {
      settings: {
        serverCopy: { kind: 'whenDeletedHere' },
        keepOnDevice: { kind: 'headers' },
        evictionAcknowledged: false,
      },
    });
    await app.actions.signIn(signInParams);
    await until(app.store, downloaded);
    app.actions.moveTo(2, 'trash');
    await app.actions.emptyTrash();
    expect(commandsOf(app).filter((line) => line.startsWith('DELE'))).toEqual(['DELE 2']);
    await app.actions.signOut();
    expect(app.maildrop.messages.map((m) => m.uid)).toEqual(['uid-1', 'uid-3']);
  });
});
