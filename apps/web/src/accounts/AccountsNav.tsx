import { useStore } from 'zustand';
import type { MouseEvent } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useI18n } from '../store/context.js';
import type { AppState } from '../store/app-state.js';
import { selectAccount } from '../store/selectors.js';
import type { AccountEntry, AccountsState } from './accounts-state.js';
import { signedInEntries } from './accounts-store.js';
import { accountFullName, accountLabel, appearanceOf, colourOf } from './appearance.js';
import { useAccounts } from './context.js';

/** An account's link: its display name or "user on server", its colour, and whether it is locked or its link broke. */
function AccountLink({
  entry,
  current,
  onShow,
}: {
  entry: AccountEntry;
  current: boolean;
  onShow: (id: string) => void;
}) {
  const { t, language } = useI18n();
  const account = useStore(entry.store, (state: AppState) => selectAccount(state));
  const kind = useStore(entry.store, (state: AppState) => state.session.kind);
  const appearance = useStore(entry.store, appearanceOf);
  if (!account) return null;
  const label = accountLabel(language, account, appearance);
  const fullName = accountFullName(language, account);
  const status = kind === 'locked' ? t('accounts.locked') : kind === 'broken' ? t('accounts.broken') : '';
  return (
    <li>
      <a
        href={`#${entry.id}`}
        aria-current={current ? 'page' : undefined}
        aria-description={status || undefined}
        title={label === fullName ? undefined : fullName}
        onClick={(event: MouseEvent) => {
          event.preventDefault();
          onShow(entry.id);
        }}
      >
        <span
          className="account-colour"
          style={{ background: colourOf(appearance, entry.colour) }}
          aria-hidden="true"
        />
        <span dir="auto">{label}</span>
        {status && <span className="muted small"> ({status})</span>}
      </a>
    </li>
  );
}

/**
 * The account switcher: "All inboxes", one link per signed-in account, "Add account" (the sign-in
 * form, the other accounts staying signed in) and "Sign out of all accounts". The toolbar's own
 * "Sign out" signs out of the account shown only.
 */
export function AccountsNav({ accounts }: { accounts: StoreApi<AccountsState> }) {
  const { t } = useI18n();
  const { entries, view, adding, actions } = useAccounts(accounts, (state) => ({
    entries: state.entries,
    view: state.view,
    adding: state.adding,
    actions: state.actions,
  }));
  // Re-render when a runtime signs in or out (the list of links).
  const signedIn = signedInEntries({ entries });
  if (signedIn.length === 0) return null;
  const several = signedIn.length > 1;
  return (
    <nav className="accounts-nav" aria-label="Accounts">
      <ul>
        <li>
          <a
            href="#all-inboxes"
            aria-current={view.kind === 'allInboxes' ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              actions.showAllInboxes();
            }}
          >
            {t('accounts.allInboxes')}
          </a>
        </li>
        {entries.map((entry) => (
          <AccountLink
            key={entry.id}
            entry={entry}
            current={view.kind === 'account' && view.id === entry.id}
            onShow={actions.show}
          />
        ))}
      </ul>
      <div className="accounts-tools">
        {adding.kind === 'adding' ? (
          <button type="button" className="button ghost" onClick={() => actions.cancelAdding()}>
            {t('accounts.cancelAdd')}
          </button>
        ) : (
          <button
            type="button"
            className="button ghost"
            aria-label="Add account"
            onClick={() => actions.addAccount()}
          >
            {t('accounts.add')}
          </button>
        )}
        {several && (
          <button
            type="button"
            className="button ghost"
            aria-label="Sign out of all accounts"
            onClick={() => void actions.signOutAll()}
          >
            {t('accounts.signOutAll')}
          </button>
        )}
      </div>
    </nav>
  );
}
