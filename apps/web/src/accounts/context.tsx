import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { StoreApi } from 'zustand/vanilla';
import type { AccountsState } from './accounts-state.js';

/** The accounts store, and which of its entries the components below belong to (none: All inboxes). */
interface AccountsContextValue {
  readonly store: StoreApi<AccountsState>;
  readonly id: string | undefined;
}

const AccountsContext = createContext<AccountsContextValue | null>(null);

export function AccountsProvider({
  store,
  id,
  children,
}: {
  store: StoreApi<AccountsState>;
  id: string | undefined;
  children: ReactNode;
}) {
  return <AccountsContext.Provider value={{ store, id }}>{children}</AccountsContext.Provider>;
}

/** The accounts store where there is one (the page); null for a single app store (unit tests). */
export function useAccountsContext(): AccountsContextValue | null {
  return useContext(AccountsContext);
}

export function useAccounts<T extends object>(
  store: StoreApi<AccountsState>,
  selector: (state: AccountsState) => T,
): T {
  return useStore(store, useShallow(selector));
}
