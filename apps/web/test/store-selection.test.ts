import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { memoryCache } from '../src/mailstore/mail-cache.js';
import { MailStore, type AccountSettings } from '../src/mailstore/index.js';
import { accountKey } from '../src/session/types.js';
import type { AppState } from '../src/store/app-state.js';
import { keepShown, selectAllOf, selectIn, selectOnly } from '../src/store/selection.js';
import { message, setup, signInParams, threeMessages, until } from './support/app.js';

const key = accountKey(signInParams);
const shownOf = (state: AppState) => [...state.rows].reverse().map((row) => row.number);
const selectionOf = (state: AppState) => [...state.selection].sort((a, b) => a - b);

function fiveMessages() {
  return Array.from({ length: 5 }, (_, index) =>
    message(
      `uid-${index + 1}`,
      `Message ${index + 1}`,
      'A <a@example.org>',
      'Mon, 10 Nov 2025 09:00:00 +0000',
    ),
  );
}

/** Signed in over a device's mail store with "Everything" kept here under `serverCopy`, downloaded. */
async function keeping(serverCopy: AccountSettings['serverCopy'], factory = new IDBFactory()) {
  const mailStore = MailStore.open({ factory, now: () => 1_000_000 });
  const store = await mailStore;
  await store.rememberAccount({ key, server: signInParams.server, username: signInParams.username });
  await store.saveSettings(key, {
    serverCopy,
    keepOnDevice: { kind: 'everything' },
    evictionAcknowledged: false,
  });
  const persisted = {
    estimate: async () => ({ usage: 0, quota: 1e12 }),
    persisted: async () => true,
    persist: async () => true,
  };
  const app = setup(threeMessages(), { deps: { mailStore: () => mailStore, storage: persisted } });
  await app.actions.signIn(signInParams);
  await until(app.store, (state) => state.device.download.phase === 'done');
  return { ...app, mailStore: store, factory };
}

describe('the selection model', () => {
  const shown = [5, 4, 3, 2, 1];

  it('a plain selection is the message alone; toggle adds and removes, keeping the others', () => {
    const one = selectOnly(4);
    expect([...one.selection]).toEqual([4]);
    const two = selectIn(one, shown, 2, 'toggle');
    expect(two.selected).toBe(2);
    expect([...two.selection].sort()).toEqual([2, 4]);
    const back = selectIn(two, shown, 4, 'toggle');
    expect([...back.selection]).toEqual([2]);
    expect(selectIn(back, shown, 1, 'only').selection).toEqual(new Set([1]));
  });

  it('a range runs from the anchor to the message in the order shown, either way, and moves with it', () => {
    const start = selectOnly(4);
    const down = selectIn(start, shown, 2, 'range');
    expect(down).toMatchObject({ selected: 2, anchor: 4 });
    expect([...down.selection]).toEqual([4, 3, 2]);
    // Shrinking or turning around keeps the anchor: Shift+↑ past it.
    const up = selectIn(down, shown, 5, 'range');
    expect([...up.selection]).toEqual([5, 4]);
    // A range to a message not shown is that message alone.
    expect([...selectIn(start, shown, 9, 'range').selection]).toEqual([9]);
  });

  it('"Select all" is what is shown; keepShown drops what left the view', () => {
    const all = selectAllOf(selectOnly(3), shown);
    expect(all.selected).toBe(3);
    expect(all.selection.size).toBe(5);
    expect(selectAllOf(selectOnly(9), shown).selected).toBe(5);
    const kept = keepShown(all, (number) => number % 2 === 1);
    expect([...kept.selection]).toEqual([5, 3, 1]);
    expect(keepShown(kept, () => true)).toBe(kept);
  });
});

describe('bulk actions on the selection', () => {
  it('under "Headers only" deletes each selected message with DELE, in message order', async () => {
    const { store, actions, server, maildrop } = setup(fiveMessages());
    await actions.signIn(signInParams);
    actions.select(4);
    actions.selectWith(2, 'range', shownOf(store.getState()));
    actions.selectWith(5, 'toggle', shownOf(store.getState()));
    expect(selectionOf(store.getState())).toEqual([2, 3, 4, 5]);
    await actions.deleteSelected();
    expect(server.sessions[0]!.commands.filter((line) => line.startsWith('DELE'))).toEqual([
      'DELE 2',
      'DELE 3',
      'DELE 4',
      'DELE 5',
    ]);
    expect(store.getState().rows.map((row) => row.deleted)).toEqual([false, true, true, true, true]);
    // Marked rows stay in the Inbox, greyed: still selected.
    expect(selectionOf(store.getState())).toEqual([2, 3, 4, 5]);
    await actions.signOut();
    expect(maildrop.messages.map((entry) => entry.uid)).toEqual(['uid-1']);
  });

  it('under the local Trash moves each to Trash; "when I delete it here" marks their proven copies', async () => {
    const app = await keeping({ kind: 'whenDeletedHere' });
    app.actions.select(1);
    app.actions.selectWith(3, 'toggle', shownOf(app.store.getState()));
    await app.actions.deleteSelected();
    expect(app.store.getState().rows.map((row) => row.place)).toEqual(['trash', 'inbox', 'trash']);
    // What went to Trash is no longer selected in the Inbox.
    expect(app.store.getState().selection.size).toBe(0);
    expect((await app.mailStore.messages(key, 'trash')).map((record) => record.uid).sort()).toEqual([
      'uid-1',
      'uid-3',
    ]);
    await app.actions.signOut();
    expect(app.maildrop.messages.map((entry) => entry.uid)).toEqual(['uid-2']);
  });

  it('archives the selection here only', async () => {
    const app = await keeping({ kind: 'keep' });
    app.actions.selectAll(shownOf(app.store.getState()));
    app.actions.moveSelected('archive');
    expect(app.store.getState().rows.every((row) => row.place === 'archive')).toBe(true);
    expect(app.store.getState().selection.size).toBe(0);
    await vi.waitFor(async () => expect(await app.mailStore.messages(key, 'archive')).toHaveLength(3));
    await app.actions.signOut();
    expect(app.server.sessions.flatMap((s) => s.commands).some((line) => line.startsWith('DELE'))).toBe(
      false,
    );
  });

  it('marks the selection read and unread, and "Mark all as read" marks what is shown; kept by UIDL', async () => {
    const cache = memoryCache();
    const { store, actions } = setup(fiveMessages(), { cache });
    await actions.signIn(signInParams);
    actions.select(1);
    actions.selectWith(2, 'toggle', shownOf(store.getState()));
    actions.setReadSelected(true);
    expect(store.getState().rows.map((row) => row.read)).toEqual([true, true, false, false, false]);
    actions.select(2);
    actions.setReadSelected(false);
    expect(store.getState().rows.map((row) => row.read)).toEqual([true, false, false, false, false]);
    actions.markAllRead([5, 4, 2]);
    expect(store.getState().rows.map((row) => row.read)).toEqual([true, true, false, true, true]);
    await vi.waitFor(async () =>
      expect(await cache.readMarks(key)).toEqual(new Set(['uid-1', 'uid-2', 'uid-4', 'uid-5'])),
    );
    await actions.signOut();
    await actions.signIn(signInParams);
    expect(store.getState().rows.map((row) => row.read)).toEqual([true, true, false, true, true]);
  });

  it('stars the selection (or unstars it when all are starred), kept in the mail store for the next session', async () => {
    const app = await keeping({ kind: 'keep' });
    app.actions.select(2);
    app.actions.toggleStarSelected();
    app.actions.selectWith(3, 'toggle', shownOf(app.store.getState()));
    // One of the two is starred: both are starred.
    app.actions.toggleStarSelected();
    expect(app.store.getState().rows.map((row) => row.starred)).toEqual([false, true, true]);
    app.actions.select(3);
    app.actions.toggleStarSelected();
    expect(app.store.getState().rows.map((row) => row.starred)).toEqual([false, true, false]);
    await vi.waitFor(async () =>
      expect((await app.mailStore.messages(key)).filter((r) => r.starred).map((r) => r.uid)).toEqual([
        'uid-2',
      ]),
    );
    await app.actions.signOut();
    await app.actions.signIn(signInParams);
    await until(app.store, (state) => state.device.download.phase === 'done');
    expect(app.store.getState().rows.map((row) => row.starred)).toEqual([false, true, false]);
  });

  it('exports only the selected messages', async () => {
    const app = await keeping({ kind: 'keep' });
    const uids = ['uid-1', 'uid-3'];
    expect(await app.actions.countExportable({ kind: 'messages', uids })).toBe(2);
    let written = '';
    await app.actions.exportMail(
      {
        kind: 'file',
        write: async (stream) => {
          written = new TextDecoder().decode(await new Response(stream).arrayBuffer());
        },
      },
      'mbox',
      { kind: 'messages', uids },
    );
    expect(app.store.getState().transfer).toMatchObject({ kind: 'exported', messages: 2 });
    expect(written.match(/^Subject: .*$/gm)).toEqual(['Subject: First', 'Subject: Third']);
  });

  it('a new listing (Refresh) leaves the current message alone selected, found again by UIDL', async () => {
    const { store, actions } = setup(fiveMessages());
    await actions.signIn(signInParams);
    actions.selectAll(shownOf(store.getState()));
    actions.select(3);
    actions.selectWith(4, 'toggle', shownOf(store.getState()));
    await actions.refresh();
    expect(store.getState().selected).toBe(4);
    expect(selectionOf(store.getState())).toEqual([4]);
  });
});
