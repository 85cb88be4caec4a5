import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { shownEntry } from '../src/accounts/accounts-store.js';
import {
  conversationsAcross,
  groupMerged,
  mergedKey,
  mergeInboxes,
  parseMergedKey,
  selectionTargets,
  type InboxSource,
} from '../src/accounts/all-inboxes.js';
import { partsOf } from '../src/accounts/all-inboxes-actions.js';
import { MailStore } from '../src/mailstore/index.js';
import { idleSearch } from '../src/search/search-slice.js';
import { accountKey } from '../src/session/types.js';
import { makeRow, type MessageRow } from '../src/store/rows.js';
import { localSettingsStorage } from '../src/store/settings.js';
import { signInParams, until } from './support/app.js';
import { twoUsers } from './support/two-accounts.js';

type Accounts = ReturnType<typeof twoUsers>['accounts'];

let disposeLater: Accounts | undefined;
afterEach(() => {
  disposeLater?.getState().actions.dispose();
  disposeLater = undefined;
});

async function signInShown(accounts: Accounts, username: string) {
  const store = shownEntry(accounts.getState())!.store;
  await store.getState().actions.loadServers();
  await store.getState().actions.signIn({ ...signInParams, username });
  await until(store, (state) => state.listing.phase === 'done');
  return store;
}

/** demo (d-1) and second (s-1, s-2) signed in together; demo keeps everything here if `keeping`. */
async function bothSignedIn(keeping = false) {
  const factory = new IDBFactory();
  const mailStore = MailStore.open({ factory, now: () => 1_000_000 });
  if (keeping) {
    const store = await mailStore;
    const key = accountKey({ ...signInParams, username: 'demo' });
    await store.rememberAccount({ key, server: signInParams.server, username: 'demo' });
    await store.saveSettings(key, {
      serverCopy: { kind: 'keep' },
      keepOnDevice: { kind: 'everything' },
      evictionAcknowledged: false,
    });
  }
  const storage = {
    estimate: async () => ({ usage: 0, quota: 1e12 }),
    persisted: async () => true,
    persist: async () => true,
  };
  const two = twoUsers(0, keeping ? { mailStore: () => mailStore, storage } : {});
  disposeLater = two.accounts;
  const demo = await signInShown(two.accounts, 'demo');
  if (keeping) await until(demo, (state) => state.device.download.phase === 'done');
  two.accounts.getState().actions.addAccount();
  const second = await signInShown(two.accounts, 'second');
  two.accounts.getState().actions.showAllInboxes();
  const [demoId, secondId] = two.accounts.getState().entries.map((entry) => entry.id) as [string, string];
  const keyOf = (id: string, uid: string) => {
    const store = id === demoId ? demo : second;
    return `${id}:${store.getState().rows.find((row) => row.uid === uid)!.number}`;
  };
  return { ...two, demo, second, demoId, secondId, keyOf };
}

const dele = (commands: readonly string[]) => commands.filter((line) => line.startsWith('DELE'));

describe('All inboxes: the selection', () => {
  it('names a message by account and number; splits keys by account in the order they were added', () => {
    expect(parseMergedKey('account-2:17')).toEqual({ id: 'account-2', number: 17 });
    expect(parseMergedKey('17')).toBeUndefined();
    expect(parseMergedKey('account-1:x')).toBeUndefined();
    const entries = [{ id: 'account-1' }, { id: 'account-2' }] as never;
    expect(
      partsOf(entries, ['account-2:1', 'account-1:3', 'account-2:2', 'gone:1']).map((part) => [
        part.entry.id,
        part.numbers,
      ]),
    ).toEqual([
      ['account-1', [3]],
      ['account-2', [1, 2]],
    ]);
  });

  it('click, Shift-range across accounts, toggle and Select all, over the list as shown', async () => {
    const { accounts, demoId, secondId, keyOf } = await bothSignedIn();
    const shown = [keyOf(secondId, 's-2'), keyOf(secondId, 's-1'), keyOf(demoId, 'd-1')];
    const { actions } = accounts.getState();
    await actions.openInAll(secondId, Number(shown[0]!.split(':')[1]));
    expect([...accounts.getState().allInboxes.selection]).toEqual([shown[0]]);
    actions.selectWithInAll(shown[2]!, 'range', shown);
    expect([...accounts.getState().allInboxes.selection]).toEqual(shown);
    actions.selectWithInAll(shown[1]!, 'toggle', shown);
    expect([...accounts.getState().allInboxes.selection].sort()).toEqual([shown[0], shown[2]].sort());
    actions.selectAllInAll(shown);
    expect(accounts.getState().allInboxes.selection.size).toBe(3);
    actions.selectInAll(null);
    expect(accounts.getState().allInboxes.selection.size).toBe(0);
  });

  it('each account gets its own part: DELE in each session for its own numbers, stars and read marks in each store', async () => {
    const { accounts, demo, second, servers, demoId, secondId, keyOf } = await bothSignedIn();
    const keys = [keyOf(demoId, 'd-1'), keyOf(secondId, 's-2')];
    const { actions } = accounts.getState();
    actions.toggleStarInAll(keys);
    expect(demo.getState().rows.find((row) => row.uid === 'd-1')!.starred).toBe(true);
    expect(second.getState().rows.map((row) => [row.uid, row.starred])).toEqual(
      expect.arrayContaining([
        ['s-2', true],
        ['s-1', false],
      ]),
    );
    // All starred: the same key unstars them all.
    actions.toggleStarInAll(keys);
    expect(demo.getState().rows[0]!.starred).toBe(false);
    actions.setReadInAll(keys, true);
    expect(second.getState().rows.find((row) => row.uid === 's-2')!.read).toBe(true);
    expect(second.getState().rows.find((row) => row.uid === 's-1')!.read).toBe(false);

    actions.selectAllInAll(keys);
    await actions.deleteInAll(keys);
    const s2 = second.getState().rows.find((row) => row.uid === 's-2')!.number;
    expect(dele(servers.demo.sessions[0]!.commands)).toEqual(['DELE 1']);
    expect(dele(servers.second.sessions[0]!.commands)).toEqual([`DELE ${s2}`]);
    // Marked with DELE, they stay in the Inbox (greyed) and in the selection.
    expect(accounts.getState().allInboxes.selection.size).toBe(2);
  });

  it('under an account that keeps mail here, Delete goes to its Trash (no DELE); the other account’s is DELE', async () => {
    const { accounts, demo, second, servers, demoId, secondId, keyOf } = await bothSignedIn(true);
    const keys = [keyOf(demoId, 'd-1'), keyOf(secondId, 's-1')];
    accounts.getState().actions.selectAllInAll(keys);
    await accounts.getState().actions.deleteInAll(keys);
    expect(demo.getState().rows[0]!.place).toBe('trash');
    expect(dele(servers.demo.sessions[0]!.commands)).toEqual([]);
    expect(dele(servers.second.sessions[0]!.commands)).toHaveLength(1);
    // The one moved to Trash left the Inbox, and the selection.
    expect([...accounts.getState().allInboxes.selection]).toEqual([keys[1]]);
    // Archive is the account's own local folder: not where the account keeps nothing here.
    accounts.getState().actions.archiveInAll([keys[1]!]);
    expect(second.getState().rows.find((row) => row.uid === 's-1')!.place).toBe('inbox');
    expect(dele(servers.second.sessions[0]!.commands)).toHaveLength(1);
  });

  it('"Group by conversation" in All inboxes is a preference of its own, shared and remembered', async () => {
    const { accounts, demo, second } = await bothSignedIn();
    accounts.getState().actions.setGroupedAll(true);
    expect(demo.getState().settings.groupedAllInboxes).toBe(true);
    expect(second.getState().settings.groupedAllInboxes).toBe(true);
    expect(demo.getState().settings.groupedAccounts).toEqual([]);
    const stored = new Map<string, string>();
    const storage = {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    } as Storage;
    localSettingsStorage(storage).save(demo.getState().settings);
    expect(localSettingsStorage(storage).load().groupedAllInboxes).toBe(true);
    accounts.getState().actions.toggleConversationInAll('c');
    expect(accounts.getState().allInboxes.expanded.has('c')).toBe(true);
    accounts.getState().actions.toggleConversationInAll('c', true);
    expect(accounts.getState().allInboxes.expanded.has('c')).toBe(true);
    accounts.getState().actions.toggleConversationInAll('c');
    expect(accounts.getState().allInboxes.expanded.has('c')).toBe(false);
  });
});

function row(number: number, uid: string, subject: string, date: number, ids: Partial<MessageRow> = {}) {
  return {
    ...makeRow({ number, uid, size: 100 }, { from: undefined, subject, date }, false, false),
    ...ids,
  };
}

function source(id: string, rows: MessageRow[]): InboxSource {
  return { id, colour: '#000', label: id, state: { rows, search: idleSearch } };
}

describe('All inboxes: conversations across accounts', () => {
  // Home gets the original and a note; Work gets the reply (to the other address) and a copy of the original.
  const home = source('home', [
    row(1, 'h1', 'Trip plans', 100, { messageId: 'trip@x' }),
    row(2, 'h2', 'Unrelated', 200, { messageId: 'note@x' }),
  ]);
  const work = source('work', [
    row(1, 'w1', 'Re: Trip plans', 300, { messageId: 'reply@x', references: ['trip@x'] }),
    row(2, 'w2', 'Trip plans', 100, { messageId: 'trip@x' }),
    row(3, 'w3', 'Unrelated', 400, { messageId: 'other@x' }),
  ]);
  const sources = [home, work];
  const merged = mergeInboxes(sources, { filter: '', sort: 'date', descending: true });

  it('joins a thread that reached both accounts; each account’s other mail stays alone', () => {
    const of = conversationsAcross(sources);
    const thread = of.get('home:1');
    expect(thread).toBeDefined();
    expect(of.get('work:1')).toBe(thread);
    expect(of.get('work:2')).toBe(thread);
    expect(of.get('home:2')).not.toBe(of.get('work:3'));
    expect(conversationsAcross(sources)).toBe(of);
  });

  it('shows the thread as one row at its newest message; a closed one stands for all its messages in each account', () => {
    const closed = groupMerged(merged, sources, new Set());
    expect(closed.rows.map(mergedKey)).toEqual(['work:3', 'work:1', 'home:2']);
    const head = closed.entries.get('work:1');
    expect(head).toMatchObject({ kind: 'conversation', expanded: false });
    expect(selectionTargets(['work:1'], closed.entries).sort()).toEqual(['home:1', 'work:1', 'work:2']);
    expect(selectionTargets(['home:2'], closed.entries)).toEqual(['home:2']);

    const open = groupMerged(merged, sources, new Set([head?.kind === 'conversation' ? head.id : '']));
    // Same date: the larger number first, as the list sorts ties.
    expect(open.rows.map(mergedKey)).toEqual(['work:3', 'work:1', 'work:2', 'home:1', 'home:2']);
    expect(open.entries.get('home:1')).toMatchObject({ kind: 'member' });
    // Open, its rows each stand for their own message.
    expect(selectionTargets(['work:1'], open.entries)).toEqual(['work:1']);
  });
});
