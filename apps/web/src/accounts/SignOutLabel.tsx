import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { useI18n } from '../store/context.js';
import type { AccountsState } from './accounts-state.js';
import { useAccountsContext } from './context.js';

function SeveralLabel({ accounts }: { accounts: StoreApi<AccountsState> }) {
  const { t } = useI18n();
  const several = useStore(accounts, (state) => state.signedIn.length > 1);
  return <>{t(several ? 'accounts.signOutOne' : 'toolbar.signOut')}</>;
}

/** The toolbar's Sign out: "Sign out of this account" while others are signed in beside it. */
export function SignOutLabel() {
  const { t } = useI18n();
  const context = useAccountsContext();
  return context ? <SeveralLabel accounts={context.store} /> : <>{t('toolbar.signOut')}</>;
}
