import { useAccountsContext } from '../accounts/context.js';
import { useActions, useAppShallow, useI18n } from '../store/context.js';
import { ErrorText } from './ErrorText.js';

/**
 * Where a sign-in with the provider stands, on the sign-in page and in the Locked dialog: going to
 * the provider, waiting for the sign-in window (with Cancel: a window the user closed cannot be seen
 * under COOP), the blocked window with "Continue in this tab" and what that does to the other
 * accounts, cancelled, or failed.
 */
export function OAuthStatus() {
  const { t } = useI18n();
  const actions = useActions();
  const accounts = useAccountsContext();
  const { oauth } = useAppShallow((state) => ({ oauth: state.oauth }));
  switch (oauth.kind) {
    case 'idle':
      return null;
    case 'redirecting':
    case 'completing':
      return (
        <span className="status-text" role="status">
          <span className="spinner" aria-hidden="true" />
          {oauth.kind === 'redirecting'
            ? t('signin.oauthRedirecting', { provider: oauth.provider })
            : t('signin.oauthCompleting')}
        </span>
      );
    case 'waiting':
      return (
        <div className="oauth-status" role="status">
          <span className="spinner" aria-hidden="true" />
          <span>{t('signin.oauthWaiting', { provider: oauth.provider })}</span>
          <button type="button" className="button ghost" onClick={() => actions.cancelOAuth()}>
            {t('signin.oauthCancel')}
          </button>
        </div>
      );
    case 'cancelled':
      return (
        <p className="alert info" role="status">
          {t('signin.oauthCancelled', { provider: oauth.provider })}
        </p>
      );
    case 'blocked': {
      // Read when shown: the other accounts signed in in this tab (this one excluded).
      const others = accounts
        ? accounts.store.getState().signedIn.filter((known) => known !== accounts.id).length
        : 0;
      return (
        <div className="alert error" role="alert">
          <strong>{t('signin.oauthBlocked')}</strong>
          <p>{t('signin.oauthBlockedWhy', { provider: oauth.provider })}</p>
          {others > 0 && (
            <p>
              <strong>{t('signin.oauthBlockedOthers', { count: others })}</strong>
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="button" onClick={() => void actions.continueInThisTab()}>
              {t('signin.oauthContinueHere')}
            </button>
            <button type="button" className="button ghost" onClick={() => actions.cancelOAuth()}>
              {t('signin.oauthCancel')}
            </button>
          </div>
        </div>
      );
    }
    case 'failed':
      return (
        <div className="alert error" role="alert">
          <strong>{t('signin.oauthFailed')}</strong>
          <ErrorText error={oauth.error} />
        </div>
      );
  }
}
