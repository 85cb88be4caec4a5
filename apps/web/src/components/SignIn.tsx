import type { AuthMethod, Security } from '@webpop/pop3';
import { defaultPort } from '@webpop/wire';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { accountKey, type ServerChoice } from '../session/types.js';
import { useAccountsContext } from '../accounts/context.js';
import { useActions, useAppShallow, useI18n } from '../store/context.js';
import { ErrorText } from './ErrorText.js';
import { OAuthStatus } from './OAuthStatus.js';
import { loadMailbox } from './mailbox-loader.js';
import { loadConnect } from '../session/connect-loader.js';
import { Preferences } from './Preferences.js';
import { Brand, useBranding } from './Brand.js';
import { PasswordField } from './PasswordField.js';
import { SavedAccounts } from './SavedAccounts.js';
import type { SavedAccount } from '../store/saved-slice.js';

const CUSTOM = '__custom__';

const methods: ReadonlyArray<{ value: AuthMethod; label?: string }> = [
  { value: 'auto' },
  { value: 'user', label: 'USER/PASS' },
  { value: 'apop', label: 'APOP' },
  { value: 'plain', label: 'PLAIN' },
  { value: 'login', label: 'LOGIN' },
  { value: 'cram-md5', label: 'CRAM-MD5' },
];

export function SignIn() {
  const { t } = useI18n();
  const { signInText } = useBranding();
  const actions = useActions();
  const accounts = useAccountsContext();
  const { session, servers, logOpen, notice, oauth } = useAppShallow((state) => ({
    session: state.session,
    servers: state.servers,
    logOpen: state.logOpen,
    notice: state.notice,
    oauth: state.oauth,
  }));
  const busy =
    session.kind === 'signingIn' ||
    session.kind === 'reopening' ||
    oauth.kind === 'redirecting' ||
    oauth.kind === 'completing';
  const id = useId();

  // The server the user picked ('' until they pick one; see serverId below for what is shown).
  const [pickedServerId, setServerId] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState(String(defaultPort('tls')));
  const [security, setSecurity] = useState<Security>('tls');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [method, setMethod] = useState<AuthMethod>('auto');
  const [allowPlaintext, setAllowPlaintext] = useState(false);
  // Unset: the bridge's default, until the user ticks or unticks it.
  const [sharedChoice, setSharedComputer] = useState<boolean | null>(null);
  const sharedComputer = sharedChoice ?? servers.policy.sharedComputerDefault;
  // Off at each sign-in until ticked; never offered on a shared computer (see password-credentials.ts).
  const [rememberPassword, setRememberPassword] = useState(false);
  const passwordOffered = actions.passwordOffered(sharedComputer);

  useEffect(() => {
    if (servers.status === 'idle') void actions.loadServers();
  }, [servers.status, actions]);

  // Fetch what comes after signing in while the user types: the POP3 engine and the mailbox.
  useEffect(() => {
    const timer = setTimeout(() => {
      void loadConnect().catch(() => {});
      void loadMailbox().catch(() => {});
    }, 300);
    return () => clearTimeout(timer);
  }, []);

  // Until the user picks, the first configured server (or "Other server…" where there is none), derived
  // in the same render as the list: an effect setting it a render later left one render in which the
  // select showed a server (the DOM's first option) that the form did not hold — no host fields under
  // "Other server…", Sign in disabled under a named server (a UI test saw that render under load).
  const firstServer = servers.list[0]?.id;
  const serverId =
    pickedServerId || firstServer || (servers.status === 'ready' && servers.allowAnyTarget ? CUSTOM : '');

  const custom = serverId === CUSTOM && servers.allowAnyTarget;
  const configured = servers.list.find((server) => server.id === serverId);
  const canSubmit =
    !busy &&
    username.trim() !== '' &&
    password !== '' &&
    (custom ? host.trim() !== '' && Number(port) > 0 : !!configured);

  // A remembered account chosen: the form says who, the password is typed (or filled, see below).
  const choose = (account: SavedAccount) => {
    const { choice } = account;
    if (choice.kind === 'configured') setServerId(choice.id);
    else {
      setServerId(CUSTOM);
      setHost(choice.host);
      setPort(String(choice.port));
      setSecurity(choice.security);
    }
    setUsername(account.username);
    setPassword('');
    document.getElementById(`${id}-password`)?.focus();
    // The browser's password store, where it is allowed: it may ask the user which one, or not answer.
    void actions.browserPassword(account.username, sharedComputer).then((found) => {
      if (found !== undefined) setPassword((typed) => (typed === '' ? found : typed));
    });
  };
  const signedInHere = (key: string) =>
    accounts ? accounts.store.getState().actions.signedInAs(key, accounts.id ?? '') !== undefined : false;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    let server: ServerChoice;
    if (custom) {
      server = { kind: 'custom', host: host.trim(), port: Number(port), security };
    } else if (configured) {
      server = { kind: 'configured', id: configured.id, label: configured.label };
    } else {
      return;
    }
    // Adding an account already signed in here: show that one instead of a second session.
    const already = accounts?.id
      ? accounts.store
          .getState()
          .actions.signedInAs(accountKey({ server, username: username.trim() }), accounts.id)
      : undefined;
    if (already && accounts) {
      accounts.store.getState().actions.cancelAdding();
      accounts.store.getState().actions.show(already.id);
      return;
    }
    // Signing in before the prefetch above: load the mailbox during the login's round trips.
    void loadMailbox().catch(() => {});
    void actions.signIn({
      server,
      username: username.trim(),
      password,
      method,
      allowPlaintext,
      sharedComputer,
      rememberPassword: passwordOffered && rememberPassword,
    });
  };

  const signinError = session.kind === 'signInFailed' ? session.error : null;
  const provider = custom ? undefined : configured?.oauth;
  const signInWithProvider = () => {
    if (busy || !configured || !provider) return;
    void actions.startOAuth({ serverId: configured.id, username: username.trim(), sharedComputer });
  };

  return (
    <div className="signin-page">
      <header className="signin-header">
        <Brand hidden />
        <div className="header-tools">
          <button
            type="button"
            className="button ghost"
            aria-label="Protocol log"
            aria-pressed={logOpen}
            onClick={() => actions.toggleLog()}
          >
            {t('toolbar.protocolLog')}
          </button>
          <Preferences />
        </div>
      </header>
      <main className="signin-main">
        <form className="signin-card" onSubmit={submit} aria-labelledby={`${id}-heading`} noValidate>
          <h1 id={`${id}-heading`}>{t('signin.heading')}</h1>
          <p className="muted">{t('app.tagline')}</p>
          {signInText && <p className="signin-note">{signInText}</p>}

          <div className="field">
            <label htmlFor={`${id}-server`}>{t('signin.server')}</label>
            <select
              id={`${id}-server`}
              aria-label="Server"
              value={serverId}
              disabled={busy || servers.status !== 'ready'}
              onChange={(event) => setServerId(event.target.value)}
            >
              {servers.status !== 'ready' && <option value="">{t('signin.serversLoading')}</option>}
              {servers.list.map((server) => (
                <option key={server.id} value={server.id}>
                  {server.label}
                </option>
              ))}
              {servers.allowAnyTarget && <option value={CUSTOM}>{t('signin.otherServer')}</option>}
            </select>
            {servers.status === 'error' && (
              <p className="field-error" role="alert">
                {t('signin.serversFailed')}{' '}
                <button type="button" className="link-button" onClick={() => void actions.loadServers()}>
                  {t('signin.retry')}
                </button>
              </p>
            )}
            {servers.status === 'ready' && servers.list.length === 0 && !servers.allowAnyTarget && (
              <p className="field-error">{t('signin.noServers')}</p>
            )}
          </div>

          {custom && (
            <fieldset className="custom-server" disabled={busy}>
              <div className="field grow">
                <label htmlFor={`${id}-host`}>{t('signin.host')}</label>
                <input
                  id={`${id}-host`}
                  aria-label="Host"
                  value={host}
                  autoComplete="off"
                  spellCheck={false}
                  inputMode="url"
                  onChange={(event) => setHost(event.target.value)}
                />
              </div>
              <div className="field port">
                <label htmlFor={`${id}-port`}>{t('signin.port')}</label>
                <input
                  id={`${id}-port`}
                  aria-label="Port"
                  value={port}
                  inputMode="numeric"
                  pattern="[0-9]*"
                  onChange={(event) => setPort(event.target.value.replace(/\D/g, '').slice(0, 5))}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-security`}>{t('signin.security')}</label>
                <select
                  id={`${id}-security`}
                  aria-label="Security"
                  value={security}
                  onChange={(event) => {
                    const next = event.target.value as Security;
                    if (Number(port) === defaultPort(security)) setPort(String(defaultPort(next)));
                    setSecurity(next);
                  }}
                >
                  <option value="tls">{t('signin.security.tls')}</option>
                  <option value="starttls">{t('signin.security.starttls')}</option>
                  <option value="none">{t('signin.security.none')}</option>
                </select>
              </div>
            </fieldset>
          )}

          <div className="field">
            <label htmlFor={`${id}-username`}>{t('signin.username')}</label>
            <input
              id={`${id}-username`}
              aria-label="Username"
              value={username}
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              disabled={busy}
              onChange={(event) => setUsername(event.target.value)}
            />
          </div>
          <PasswordField id={`${id}-password`} value={password} disabled={busy} onChange={setPassword} />

          <label className="checkbox">
            <input
              type="checkbox"
              aria-label="This is a shared computer"
              aria-describedby={`${id}-shared-hint`}
              checked={sharedComputer}
              disabled={busy}
              onChange={(event) => setSharedComputer(event.target.checked)}
            />
            <span>
              {t('signin.sharedComputer')}
              <small className="muted" id={`${id}-shared-hint`}>
                {t('signin.sharedComputerHint')}
              </small>
            </span>
          </label>

          {passwordOffered && (
            <label className="checkbox">
              <input
                type="checkbox"
                aria-label="Remember the password in this browser"
                aria-describedby={`${id}-remember-hint`}
                checked={rememberPassword}
                disabled={busy}
                onChange={(event) => setRememberPassword(event.target.checked)}
              />
              <span>
                {t('signin.rememberPassword')}
                <small className="muted" id={`${id}-remember-hint`}>
                  {t('signin.rememberPasswordHint')}
                </small>
              </span>
            </label>
          )}

          <details className="advanced">
            <summary>{t('signin.advanced')}</summary>
            <div className="field">
              <label htmlFor={`${id}-auth`}>{t('signin.authentication')}</label>
              <select
                id={`${id}-auth`}
                aria-label="Authentication"
                value={method}
                disabled={busy}
                onChange={(event) => setMethod(event.target.value as AuthMethod)}
              >
                {methods.map((entry) => (
                  <option key={entry.value} value={entry.value}>
                    {entry.label ?? t('signin.auth.auto')}
                  </option>
                ))}
              </select>
            </div>
            <label className="checkbox">
              <input
                type="checkbox"
                aria-label="Allow plaintext login"
                aria-describedby={`${id}-plaintext-hint`}
                checked={allowPlaintext}
                disabled={busy}
                onChange={(event) => setAllowPlaintext(event.target.checked)}
              />
              <span>
                {t('signin.allowPlaintext')}
                <small className="muted" id={`${id}-plaintext-hint`}>
                  {t('signin.allowPlaintextHint')}
                </small>
              </span>
            </label>
          </details>

          {notice && (
            <p className={`alert ${notice.tone}`} role="status">
              {t(notice.key, notice.params)}
            </p>
          )}

          <OAuthStatus />

          {signinError && (
            <div className="alert error" role="alert">
              <strong>{t('signin.failed')}</strong>
              <ErrorText error={signinError} />
            </div>
          )}

          <div className="form-actions">
            <button type="submit" className="button primary" aria-label="Sign in" disabled={!canSubmit}>
              {t('signin.submit')}
            </button>
            {provider && (
              <button
                type="button"
                className="button"
                aria-label={`Sign in with ${provider.label}`}
                aria-describedby={`${id}-oauth-hint`}
                disabled={busy}
                onClick={signInWithProvider}
              >
                {t('signin.oauth', { provider: provider.label })}
              </button>
            )}
            {(session.kind === 'signingIn' || session.kind === 'reopening') && (
              <>
                <span className="status-text" role="status">
                  <span className="spinner" aria-hidden="true" />
                  {t(session.stage === 'connecting' ? 'signin.connecting' : 'signin.authenticating')}
                </span>
                <button type="button" className="button ghost" onClick={() => actions.cancelSignIn()}>
                  {t('signin.cancel')}
                </button>
              </>
            )}
          </div>
          {provider && (
            <p className="muted small" id={`${id}-oauth-hint`}>
              {t('signin.oauthHint')}
            </p>
          )}
          <p className="muted small">{t('signin.passwordNote')}</p>
        </form>
        <SavedAccounts disabled={busy} onChoose={choose} signedInHere={signedInHere} />
      </main>
    </div>
  );
}
