import { useEffect } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { App } from '../components/App.js';
import { StoreProvider } from '../store/context.js';
import type { AccountsState } from './accounts-state.js';
import { AccountsNav } from './AccountsNav.js';
import { AllInboxes } from './AllInboxes.js';
import { TabStatus } from './TabStatus.js';
import { entryOf } from './accounts-store.js';
import { AccountsProvider, useAccounts } from './context.js';

/** What counts as the user being there (as App's): for every account's idle limit at once. */
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

function useActivityForAll(accounts: StoreApi<AccountsState>) {
  useEffect(() => {
    const onActivity = () => accounts.getState().actions.noteActivity();
    const options = { capture: true, passive: true };
    for (const type of ACTIVITY_EVENTS) document.addEventListener(type, onActivity, options);
    return () => {
      for (const type of ACTIVITY_EVENTS) document.removeEventListener(type, onActivity, options);
    };
  }, [accounts]);
}

/**
 * The page with several accounts: the switcher above, and below it the account shown (its whole
 * app: sign-in form, mailbox or Locked dialog, over its own store) or All inboxes.
 */
export function AccountsShell({ accounts }: { accounts: StoreApi<AccountsState> }) {
  useActivityForAll(accounts);
  const { entries, signedIn, view } = useAccounts(accounts, (state) => ({
    entries: state.entries,
    signedIn: state.signedIn,
    view: state.view,
  }));
  const shown = view.kind === 'account' ? entryOf({ entries }, view.id) : undefined;
  // All inboxes reads the preferences (language, sort) from the first signed-in account: they are shared.
  const base = shown ?? entryOf({ entries }, signedIn[0] ?? '') ?? entries[0]!;
  return (
    <AccountsProvider store={accounts} id={shown?.id}>
      <StoreProvider key={base.id} store={base.store}>
        <div className="accounts-shell">
          <TabStatus accounts={accounts} />
          <AccountsNav accounts={accounts} />
          {shown ? <App /> : <AllInboxes accounts={accounts} />}
        </div>
      </StoreProvider>
    </AccountsProvider>
  );
}
