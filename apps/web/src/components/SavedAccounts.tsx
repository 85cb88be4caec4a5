import { useEffect, useId } from 'react';
import { useActions, useApp, useI18n } from '../store/context.js';

/** The sign-in page's accounts remembered on this device, each with "Open saved mail" (read-only). */
export function SavedAccounts({ disabled }: { disabled: boolean }) {
  const { t } = useI18n();
  const actions = useActions();
  const accounts = useApp((state) => state.savedAccounts);
  const id = useId();
  useEffect(() => {
    void actions.loadSavedAccounts();
  }, [actions]);
  if (accounts.length === 0) return null;
  return (
    <section className="signin-card saved-accounts" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('signin.saved')}</h2>
      <ul>
        {accounts.map((account) => (
          <li
            key={account.key}
            aria-label={t('toolbar.account', { user: account.username, server: account.server })}
          >
            <span dir="auto">{t('toolbar.account', { user: account.username, server: account.server })}</span>
            <button
              type="button"
              className="button"
              aria-label="Open saved mail"
              disabled={disabled}
              onClick={() => void actions.openSaved(account.key)}
            >
              {t('signin.openSaved')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
