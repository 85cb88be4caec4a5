// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailStore } from '../src/mailstore/index.js';
import { parseMessage } from '../src/mime/parse.js';
import { Indexer } from '../src/search/indexer.js';
import { SearchDb } from '../src/search/search-db.js';
import { accountKey } from '../src/session/types.js';
import { message, signInParams } from './support/app.js';
import { giveLayout, renderApp, signIn } from './support/render-app.js';

beforeAll(giveLayout);
afterEach(() => cleanup());

const mailbox = () => [
  message('uid-1', 'Lunch', 'Alice <alice@example.org>', 'Mon, 10 Nov 2025 09:00:00 +0000', 'At noon.\r\n'),
  message('uid-2', 'Invoice', 'Bob <bob@example.org>', 'Tue, 11 Nov 2025 09:00:00 +0000', 'Please pay.\r\n'),
  message('uid-3', 'Zeppelin', 'Carol <carol@example.org>', 'Wed, 12 Nov 2025 09:00:00 +0000', 'Seats.\r\n'),
];

/** The app with the real indexer in-process over fake-indexeddb, every message kept on the device. */
async function app() {
  const factory = new IDBFactory();
  const mailStore = MailStore.open({ factory });
  const store = await mailStore;
  const key = accountKey(signInParams);
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
  const rendered = renderApp(
    {
      deps: {
        mailStore: () => mailStore,
        search: () => ({
          sync: (account) => indexer.sync(account),
          rebuild: (account) => indexer.rebuild(account),
          search: (account, text) => indexer.search(account, text),
          summaries: (account, since) => indexer.summaries(account, since),
        }),
      },
    },
    mailbox(),
  );
  const list = await signIn(rendered.user);
  await waitFor(() => expect(rendered.store.getState().search.indexed).toBe(3), { timeout: 10_000 });
  return { ...rendered, list };
}

const listStatus = () => document.querySelector('.list-status')?.textContent ?? '';

describe("the list's header while searching", () => {
  it("shows the result count only, not the folder's message count, and the count again after the search", async () => {
    const { user, list } = await app();
    expect(listStatus()).toBe('3 messages');
    await user.type(screen.getByRole('searchbox', { name: 'Search mail' }), 'zeppelin');
    const results = await screen.findByRole('status', { name: 'Search results' });
    await waitFor(() => expect(results.textContent).toMatch(/^1 message found/));
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(1));
    // Gmail ("1–1 of 1") and Thunderbird's quick filter ("1 message") count the results alone.
    expect(listStatus()).toBe('');
    expect(screen.queryByText('3 messages')).toBeNull();
    await user.clear(screen.getByRole('searchbox', { name: 'Search mail' }));
    await waitFor(() => expect(screen.queryByRole('status', { name: 'Search results' })).toBeNull());
    expect(listStatus()).toBe('3 messages');
  });
});
