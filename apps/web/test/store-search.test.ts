import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { MailStore } from '../src/mailstore/index.js';
import { parseMessage } from '../src/mime/parse.js';
import { Indexer } from '../src/search/indexer.js';
import type { SearchService } from '../src/search/protocol.js';
import type { MessageSummary } from '../src/search/search-index.js';
import { SearchDb } from '../src/search/search-db.js';
import { linesOf } from '../src/search/summary-lines.js';
import { hitTerms, searching, searchRows } from '../src/search/search-slice.js';
import { accountKey } from '../src/session/types.js';
import type { AppState } from '../src/store/app-store.js';
import { message, setup, signInParams, until } from './support/app.js';

const key = accountKey(signInParams);

const mailbox = () => [
  message(
    'uid-1',
    'Lunch',
    'Alice <alice@example.org>',
    'Mon, 10 Nov 2025 09:00:00 +0000',
    'The zeppelin leaves at noon.\r\n',
  ),
  message('uid-2', 'Invoice', 'Bob <bob@example.org>', 'Tue, 11 Nov 2025 09:00:00 +0000', 'Please pay.\r\n'),
  message(
    'uid-3',
    'Zeppelin tickets',
    'Carol <carol@example.org>',
    'Wed, 12 Nov 2025 09:00:00 +0000',
    'Seats.\r\n',
  ),
];

/** A page whose search runs the real indexer in-process over the same (fake-indexeddb) databases. */
async function page(options: { summariesPerAnswer?: number } = {}) {
  const factory = new IDBFactory();
  const mailStore = MailStore.open({ factory });
  const store = await mailStore;
  await store.rememberAccount({ key, server: signInParams.server, username: signInParams.username });
  await store.saveSettings(key, {
    serverCopy: { kind: 'keep' },
    keepOnDevice: { kind: 'everything' },
    evictionAcknowledged: false,
  });
  const indexer = new Indexer({
    mailStore: store,
    searchDb: await SearchDb.open({ factory }),
    parse: (bytes) => parseMessage(bytes),
    ...options,
  });
  // The real indexer, with a count of the list lines each answer carried to the page.
  const answers: number[] = [];
  const service: SearchService = {
    sync: (account) => indexer.sync(account),
    rebuild: (account) => indexer.rebuild(account),
    search: (account, text) => indexer.search(account, text),
    async summaries(account, since) {
      const answer = await indexer.summaries(account, since);
      answers.push(answer.changes.uids.length);
      return answer;
    },
  };
  const app = setup(mailbox(), { deps: { mailStore: () => mailStore, search: () => service } });
  await app.actions.signIn(signInParams);
  await until(app.store, (state) => state.search.indexed === 3 && !state.search.indexing);
  return { ...app, indexer, answers };
}

/** Every list line the indexer has, asked from nothing: what the page's Map must equal. */
async function allSummaries(indexer: Indexer): Promise<Map<string, MessageSummary>> {
  const all = new Map<string, MessageSummary>();
  for (let version = 0; ;) {
    const answer = await indexer.summaries(key, version);
    for (const [uid, summary] of linesOf(answer.changes)) if (summary) all.set(uid, summary);
    version = answer.version;
    if (!answer.more) return all;
  }
}

/** The page's lines as a plain Map, to compare with `allSummaries`. */
const linesShown = (state: AppState) => new Map(state.search.summaries.entries());

const shown = (state: AppState) => searchRows(state.rows, state.search).map((row) => row.uid);

describe('search slice', () => {
  it('indexes what the background download saved, then finds a body word in rank order', async () => {
    const app = await page();
    await app.actions.searchMail('zeppelin');
    const state = app.store.getState();
    expect(searching(state)).toBe(true);
    expect(state.search.phase).toBe('done');
    expect(shown(state)).toEqual(['uid-3', 'uid-1']);
    await app.actions.searchMail('noon');
    expect(shown(app.store.getState())).toEqual(['uid-1']);
  });

  it('gives the opened message its hit terms to mark while the search is on', async () => {
    const app = await page();
    await app.actions.searchMail('zepp');
    expect(hitTerms(app.store.getState(), 'uid-1')).toContain('zeppelin');
    expect(hitTerms(app.store.getState(), 'uid-2')).toBeUndefined();
    app.actions.clearSearch();
    expect(hitTerms(app.store.getState(), 'uid-1')).toBeUndefined();
  });

  it("keeps each message's snippet line and attachment mark for the list", async () => {
    const app = await page();
    await until(app.store, (state) => state.search.summaries.size === 3);
    expect(app.store.getState().search.summaries.get('uid-1')).toEqual({
      snippet: 'The zeppelin leaves at noon.',
      hasAttachment: false,
    });
  });

  it('takes in only the list lines that changed after each sync, a slice per answer', async () => {
    const app = await page({ summariesPerAnswer: 2 });
    await until(app.store, (state) => state.search.summaries.size === 3);
    // From nothing: all three, two in the first answer and one in the second.
    expect(app.answers.filter((count) => count > 0)).toEqual([2, 1]);
    expect(linesShown(app.store.getState())).toEqual(await allSummaries(app.indexer));

    const kept = app.store.getState().search.summaries.get('uid-2');
    app.answers.length = 0;
    app.maildrop.deliver(
      message(
        'uid-4',
        'Postcard',
        'Dora <dora@example.org>',
        'Thu, 13 Nov 2025 09:00:00 +0000',
        'Greetings from the lighthouse.\r\n',
      ),
    );
    await app.actions.refresh();
    await until(app.store, (state) => state.search.summaries.has('uid-4') && !state.search.indexing);
    // Only the new message's line crossed over; the others are the same objects as before.
    expect(app.answers.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(app.store.getState().search.summaries.get('uid-2')).toBe(kept);
    expect(app.store.getState().search.summaries.get('uid-4')).toEqual({
      snippet: 'Greetings from the lighthouse.',
      hasAttachment: false,
    });
    expect(linesShown(app.store.getState())).toEqual(await allSummaries(app.indexer));

    // Gone from the store, gone from the list's lines.
    app.answers.length = 0;
    app.actions.moveTo(1, 'trash');
    await app.actions.emptyTrash();
    await until(app.store, (state) => !state.search.summaries.has('uid-1') && !state.search.indexing);
    expect(app.answers.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(linesShown(app.store.getState())).toEqual(await allSummaries(app.indexer));
    expect([...app.store.getState().search.summaries.keys()].sort()).toEqual(['uid-2', 'uid-3', 'uid-4']);

    // A rebuild ends with the same lines.
    await app.actions.rebuildSearch();
    expect(linesShown(app.store.getState())).toEqual(await allSummaries(app.indexer));
    expect(app.store.getState().search.summaries.size).toBe(3);
  });

  it('gives a row a new line only when its own line changed: the same objects (and map) otherwise, and a removed one goes', async () => {
    const app = await page();
    await until(app.store, (state) => state.search.summaries.size === 3);
    // What a component selecting one row's line would see: a render for each new value (zustand
    // compares a selector's result with Object.is).
    const renders = new Map<string, number>();
    const watched = ['uid-1', 'uid-2', 'uid-3', 'uid-4'];
    const last = new Map(watched.map((uid) => [uid, app.store.getState().search.summaries.get(uid)]));
    let maps = 0;
    let lastMap = app.store.getState().search.summaries;
    const stop = app.store.subscribe((state) => {
      if (state.search.summaries !== lastMap) maps++;
      lastMap = state.search.summaries;
      for (const uid of watched) {
        const line = state.search.summaries.get(uid);
        if (line !== last.get(uid)) renders.set(uid, (renders.get(uid) ?? 0) + 1);
        last.set(uid, line);
      }
    });

    // A rebuild sends every line again, each the same as before: nothing renders, the map stays.
    app.answers.length = 0;
    await app.actions.rebuildSearch();
    expect(app.answers.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(maps).toBe(0);
    expect(renders.size).toBe(0);

    // A new message: its row alone gets a line.
    app.maildrop.deliver(
      message(
        'uid-4',
        'Postcard',
        'Dora <dora@example.org>',
        'Thu, 13 Nov 2025 09:00:00 +0000',
        'Hello.\r\n',
      ),
    );
    await app.actions.refresh();
    await until(app.store, (state) => state.search.summaries.has('uid-4') && !state.search.indexing);
    expect(maps).toBe(1);
    expect([...renders]).toEqual([['uid-4', 1]]);

    // Removed from the store: its line goes, the others stay the same objects.
    app.actions.moveTo(1, 'trash');
    await app.actions.emptyTrash();
    await until(app.store, (state) => !state.search.summaries.has('uid-1') && !state.search.indexing);
    expect(maps).toBe(2);
    expect([...renders].sort()).toEqual([
      ['uid-1', 1],
      ['uid-4', 1],
    ]);
    expect(linesShown(app.store.getState())).toEqual(await allSummaries(app.indexer));
    stop();
  });

  it('applies is:unread and in: to the rows, Trash only when asked', async () => {
    const app = await page();
    app.actions.setRead(1, true);
    await app.actions.searchMail('zeppelin is:unread');
    expect(shown(app.store.getState())).toEqual(['uid-3']);
    await app.actions.searchMail('zeppelin is:read');
    expect(shown(app.store.getState())).toEqual(['uid-1']);
    app.actions.moveTo(3, 'archive');
    await app.actions.searchMail('zeppelin in:archive');
    expect(shown(app.store.getState())).toEqual(['uid-3']);
  });

  it('keeps only the answer to the latest text, and ends with an empty one', async () => {
    const app = await page();
    const first = app.actions.searchMail('invoice');
    const second = app.actions.searchMail('lunch');
    await Promise.all([first, second]);
    expect(shown(app.store.getState())).toEqual(['uid-1']);
    await app.actions.searchMail('   ');
    expect(searching(app.store.getState())).toBe(false);
    await app.actions.searchMail('lunch');
    app.actions.clearSearch();
    expect(app.store.getState().search.text).toBe('');
  });

  it('rebuilds the index from the store', async () => {
    const app = await page();
    await app.actions.rebuildSearch();
    expect(app.store.getState().search).toMatchObject({ indexed: 3, indexing: false });
    await app.actions.searchMail('from:bob');
    expect(shown(app.store.getState())).toEqual(['uid-2']);
  });

  it('forgets the search when the account is signed out', async () => {
    const app = await page();
    await app.actions.searchMail('zeppelin');
    await app.actions.signOut();
    expect(app.store.getState().search).toMatchObject({ text: '', hits: [], indexed: 0 });
  });
});
