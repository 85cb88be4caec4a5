import { useEffect, useState } from 'react';
import { translate } from '../i18n/index.js';
import type { AppState } from '../store/app-state.js';
import { selectAccount } from '../store/selectors.js';
import type { AccountEntry } from './accounts-state.js';
import type { InboxSource } from './all-inboxes.js';

type Language = AppState['settings']['language'];

function readSources(entries: readonly AccountEntry[], language: Language): InboxSource[] {
  return entries.flatMap((entry) => {
    const state = entry.store.getState();
    const account = selectAccount(state);
    if (!account) return [];
    const label = translate(language, 'toolbar.account', { user: account.username, server: account.server });
    return [{ id: entry.id, colour: entry.colour, label, state } satisfies InboxSource];
  });
}

/**
 * Every signed-in account's rows and search, read again whenever one of them changes (each account
 * runtime is its own store, so All inboxes listens to all of them).
 */
export function useInboxSources(entries: readonly AccountEntry[], language: Language): InboxSource[] {
  const [sources, setSources] = useState(() => readSources(entries, language));
  useEffect(() => {
    const reread = () => setSources(readSources(entries, language));
    reread();
    const stops = entries.map((entry) =>
      entry.store.subscribe((state, previous) => {
        if (
          state.rows !== previous.rows ||
          state.search !== previous.search ||
          state.session !== previous.session
        )
          reread();
      }),
    );
    return () => {
      for (const stop of stops) stop();
    };
  }, [entries, language]);
  return sources;
}
