import { useEffect, useState } from 'react';
import type { AppState } from '../store/app-state.js';
import { selectAccount } from '../store/selectors.js';
import type { AccountEntry } from './accounts-state.js';
import type { InboxSource } from './all-inboxes.js';
import { accountLabel, appearanceOf, colourOf } from './appearance.js';

type Language = AppState['settings']['language'];

function readSources(entries: readonly AccountEntry[], language: Language): InboxSource[] {
  return entries.flatMap((entry) => {
    const state = entry.store.getState();
    const account = selectAccount(state);
    if (!account) return [];
    const appearance = appearanceOf(state);
    const label = accountLabel(language, account, appearance);
    return [{ id: entry.id, colour: colourOf(appearance, entry.colour), label, state } satisfies InboxSource];
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
          state.session !== previous.session ||
          state.device.account !== previous.device.account
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
