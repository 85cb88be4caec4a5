import { useEffect, useId, useRef, useState } from 'react';
import type { AccountHoldings } from '../mailstore/index.js';
import { accountFullName, accountLabel } from '../accounts/appearance.js';
import { useActions, useApp, useI18n } from '../store/context.js';
import type { SavedAccount } from '../store/saved-slice.js';

/** "Forget": nothing asked yet, reading what the account keeps here, or asking in words. */
type Forgetting =
  | { readonly kind: 'idle' }
  | { readonly kind: 'asking'; readonly key: string; readonly holdings: AccountHoldings | undefined };

/**
 * The sign-in page's accounts remembered on this device (server, username, display name, colour —
 * never a password): choosing one fills the form, "Open saved mail" reads it read-only, and "Forget"
 * removes it from this device after saying, in words, what that deletes (the saved messages, those
 * only here, the drafts); the server's mail is never touched. An account signed in in this tab
 * cannot be forgotten (its session uses the store).
 */
export function SavedAccounts({
  disabled,
  onChoose,
  signedInHere,
}: {
  disabled: boolean;
  onChoose: (account: SavedAccount) => void;
  signedInHere: (key: string) => boolean;
}) {
  const { t, language } = useI18n();
  const actions = useActions();
  const accounts = useApp((state) => state.savedAccounts);
  const [forgetting, setForgetting] = useState<Forgetting>({ kind: 'idle' });
  const id = useId();
  useEffect(() => {
    void actions.loadSavedAccounts();
  }, [actions]);
  if (accounts.length === 0) return null;

  const ask = async (key: string) => {
    const holdings = await actions.savedHoldings(key).catch(() => undefined);
    setForgetting({ kind: 'asking', key, holdings });
  };
  const forget = async (key: string) => {
    setForgetting({ kind: 'idle' });
    await actions.forgetSaved(key);
  };

  return (
    <section className="signin-card saved-accounts" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('signin.saved')}</h2>
      <ul>
        {accounts.map((account) => {
          const fullName = accountFullName(language, account);
          const label = accountLabel(language, account, account.appearance);
          const asking = forgetting.kind === 'asking' && forgetting.key === account.key;
          return (
            <li key={account.key} aria-label={fullName}>
              <button
                type="button"
                className="saved-account-name"
                aria-label={`Use ${fullName}`}
                disabled={disabled}
                onClick={() => onChoose(account)}
              >
                <span
                  className="account-colour"
                  aria-hidden="true"
                  style={account.appearance?.colour ? { background: account.appearance.colour } : undefined}
                />
                <span dir="auto">{label}</span>
                {label !== fullName && (
                  <small className="muted" dir="auto">
                    {fullName}
                  </small>
                )}
              </button>
              <span className="saved-account-actions">
                <button
                  type="button"
                  className="button"
                  aria-label="Open saved mail"
                  disabled={disabled}
                  onClick={() => void actions.openSaved(account.key)}
                >
                  {t('signin.openSaved')}
                </button>
                {!signedInHere(account.key) && (
                  <button
                    type="button"
                    className="button ghost"
                    aria-label="Forget"
                    aria-expanded={asking}
                    disabled={disabled}
                    onClick={() => (asking ? setForgetting({ kind: 'idle' }) : void ask(account.key))}
                  >
                    {t('signin.forget')}
                  </button>
                )}
              </span>
              {asking && (
                <ForgetQuestion
                  name={fullName}
                  holdings={forgetting.holdings}
                  onForget={() => void forget(account.key)}
                  onKeep={() => setForgetting({ kind: 'idle' })}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** What forgetting deletes, in words, and the two answers; the question's first button has focus. */
function ForgetQuestion({
  name,
  holdings,
  onForget,
  onKeep,
}: {
  name: string;
  holdings: AccountHoldings | undefined;
  onForget: () => void;
  onKeep: () => void;
}) {
  const { t, size } = useI18n();
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => keepRef.current?.focus(), []);
  const deletesMail = holdings !== undefined && (holdings.messages > 0 || holdings.drafts > 0);
  return (
    <div
      className="forget-question"
      role="group"
      aria-label="Forget this account?"
      onKeyDown={(event) => event.key === 'Escape' && onKeep()}
    >
      <p>
        <strong>{t('signin.forgetAsk', { account: name })}</strong>
      </p>
      {holdings && holdings.messages > 0 && (
        <p>{t('signin.forgetMessages', { count: holdings.messages, size: size(holdings.bytes) })}</p>
      )}
      {holdings && holdings.onlyHere > 0 && (
        <p className="alert warning">{t('signin.forgetOnlyHere', { count: holdings.onlyHere })}</p>
      )}
      {holdings && holdings.drafts > 0 && <p>{t('signin.forgetDrafts', { count: holdings.drafts })}</p>}
      {!deletesMail && <p>{t('signin.forgetNothing')}</p>}
      <p className="muted small">{t('signin.forgetServer')}</p>
      <div className="form-actions">
        <button ref={keepRef} type="button" className="button" onClick={onKeep}>
          {t('signin.forgetKeep')}
        </button>
        <button type="button" className="button danger" onClick={onForget}>
          {t(deletesMail ? 'signin.forgetDelete' : 'signin.forgetConfirm')}
        </button>
      </div>
    </div>
  );
}
