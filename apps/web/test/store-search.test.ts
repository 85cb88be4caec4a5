import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { MailStore } from '../src/mailstore/index.js';
import { parseMessage } from '../src/mime/parse.js';
import { Indexer } from '../src/search/indexer.js';
import { SearchDb } from '../src/search/search-db.js';
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
async function page() {
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
  });
  const app = setup(mailbox(), { deps: { mailStore: () => mailStore, search: () => indexer } });
  await app.actions.signIn(signInParams);
  await until(app.store, (state) => state.search.indexed === 3 && !state.search.indexing);
  return app;
}

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
