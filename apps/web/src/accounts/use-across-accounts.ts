import { useCallback, useSyncExternalStore } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { AccountEntry, AccountsState } from './accounts-state.js';

/**
 * A value computed over every account runtime (the unread count of all inboxes, marked deletions
 * anywhere), read again whenever the list of accounts or any one's store changes. `compute` must
 * return a primitive (compared with Object.is).
 */
export function useAcrossAccounts<T extends number | boolean | string>(
  accounts: StoreApi<AccountsState>,
  compute: (entries: readonly AccountEntry[]) => T,
): T {
  const subscribe = useCallback(
    (changed: () => void) => {
      let stops: Array<() => void> = [];
      const watchEntries = () => {
        for (const stop of stops) stop();
        stops = accounts.getState().entries.map((entry) => entry.store.subscribe(changed));
      };
      watchEntries();
      const stopAccounts = accounts.subscribe((state, previous) => {
        if (state.entries !== previous.entries) watchEntries();
        changed();
      });
      return () => {
        stopAccounts();
        for (const stop of stops) stop();
      };
    },
    [accounts],
  );
  return useSyncExternalStore(subscribe, () => compute(accounts.getState().entries));
}
