import { useId, useState, type FormEvent } from 'react';
import { useActions, useAppShallow, useI18n } from '../store/context.js';
import { Brand } from './Brand.js';
import { ErrorText } from './ErrorText.js';
import { OAuthStatus } from './OAuthStatus.js';
import { PasswordField } from './PasswordField.js';

/**
 * The idle limit passed: the password and the mailbox are gone from memory. The same account signs
 * in again with the password typed here, or signs out. An OAuth account signs in with its provider
 * again instead — also when its tokens could not be renewed (`why: consent`, "Sign in again").
 */
export function Locked() {
  const { t } = useI18n();
  const actions = useActions();
  const id = useId();
  const { session, idleMinutes } = useAppShallow((state) => ({
    session: state.session,
    idleMinutes: state.servers.policy.idleMinutes,
  }));
  const [password, setPassword] = useState('');
  if (session.kind !== 'locked') return null;
  const { account, unlock, why } = session;
  const checking = unlock.kind === 'checking';
  const provider = account.oauth?.label;
  const consent = why === 'consent';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (checking || password === '') return;
    void actions.unlock(password);
    setPassword('');
  };

  return (
    <div className="signin-page">
      <header className="signin-header">
        <Brand hidden />
      </header>
      <main className="signin-main">
        <form
          className="signin-card"
          role="dialog"
          aria-modal="true"
          aria-label={consent ? 'Sign in again' : 'Locked'}
          aria-describedby={`${id}-why`}
          onSubmit={submit}
          noValidate
        >
          <h1>{t(consent ? 'locked.consentHeading' : 'locked.heading')}</h1>
          <p id={`${id}-why`}>
            {consent
              ? t('locked.consentWhy', { provider: provider ?? '' })
              : t(provider ? 'locked.oauthWhy' : 'locked.why', { count: Math.round(idleMinutes) })}
          </p>
          <p className="muted">
            <bdi>{account.username}</bdi> · <bdi>{account.server}</bdi>
          </p>
          {!provider && (
            <PasswordField
              id={`${id}-password`}
              value={password}
              disabled={checking}
              autoFocus
              onChange={setPassword}
            />
          )}
          {unlock.kind === 'failed' && (
            <div className="alert error" role="alert">
              {!consent && <strong>{t('locked.failed')}</strong>}
              <ErrorText error={unlock.error} />
            </div>
          )}
          <div className="form-actions">
            {provider ? (
              <button
                type="button"
                className="button primary"
                aria-label={`Sign in with ${provider} again`}
                autoFocus
                onClick={() => void actions.reconsent()}
              >
                {t('locked.oauthAgain', { provider })}
              </button>
            ) : (
              <button
                type="submit"
                className="button primary"
                aria-label="Unlock"
                disabled={checking || password === ''}
              >
                {t('locked.unlock')}
              </button>
            )}
            <button
              type="button"
              className="button ghost"
              aria-label="Sign out"
              onClick={() => void actions.signOut()}
            >
              {t('locked.signOut')}
            </button>
            {checking && (
              <span className="status-text" role="status">
                <span className="spinner" aria-hidden="true" />
                {t('locked.checking')}
              </span>
            )}
          </div>
          {provider && <OAuthStatus />}
        </form>
      </main>
    </div>
  );
}
