import { useEffect } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useBranding } from '../components/Brand.js';
import { showUnreadOnIcon } from '../newmail/icon-badge.js';
import { titleWithUnread, unreadOfAccounts } from '../newmail/unread.js';
import { useI18n } from '../store/context.js';
import { selectCounts } from '../store/selectors.js';
import type { AccountEntry, AccountsState } from './accounts-state.js';
import { signedInEntries } from './accounts-store.js';
import { useAcrossAccounts } from './use-across-accounts.js';

const signedInCount = (entries: readonly AccountEntry[]) => signedInEntries({ entries }).length;
const unreadAll = (entries: readonly AccountEntry[]) =>
  unreadOfAccounts(signedInEntries({ entries }).map((entry) => entry.store.getState()));
const deletionsMarked = (entries: readonly AccountEntry[]) =>
  entries.some((entry) => selectCounts(entry.store.getState()).deleted > 0);

/**
 * What the tab says for every account at once: the unread count of every signed-in account's Inbox
 * in the title and on the icon (a tab's title is read when it is not looked at, so it counts all of
 * them, whichever account is shown), and the warning before leaving while deletions are marked in
 * any account (leaving ends each session without QUIT, so none of them would be deleted).
 */
export function TabStatus({ accounts }: { accounts: StoreApi<AccountsState> }) {
  const { t, language } = useI18n();
  const { title } = useBranding();
  const unread = useAcrossAccounts(accounts, unreadAll);
  const several = useAcrossAccounts(accounts, signedInCount) > 1;
  const pendingDeletes = useAcrossAccounts(accounts, deletionsMarked);
  useEffect(() => {
    document.title = titleWithUnread(title ?? t('app.name'), unread, language, several);
  }, [language, t, title, unread, several]);
  useEffect(() => showUnreadOnIcon(unread), [unread]);
  useEffect(() => {
    if (!pendingDeletes) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [pendingDeletes]);
  return null;
}
