import { isOAuthError, isTokenRefusal } from '../oauth/types.js';
import { describeError, type ErrorPhase, type UiError } from '../session/errors.js';
import { linkSecurity, pageLink, type LinkSecurity } from '../session/link-security.js';
import { mayRememberPassword } from '../session/password-credentials.js';
import { translate } from '../i18n/index.js';
import { memoryCache } from '../mailstore/mail-cache.js';
import {
  accountKey,
  defaultSessionPolicy,
  serverLabel,
  type ConnectHooks,
  type MailClient,
  type ServerInfo,
  type SessionPolicy,
  type AccessTokenSource,
  type SignInParams,
} from '../session/types.js';
import type { AppState, Runtime, Slice, StoreTools } from './app-state.js';
import { keepMail } from './downloads.js';
import { forgetAfterSession, forgottenState } from './forget.js';
import { HeaderCacheWriter } from './header-cache.js';
import { idleLimitPassed, noteActivity, startIdleWatch, stopIdleWatch } from './idle-lock.js';
import { endSession, sessionDropped, startKeepalive, stopKeepalive } from './lifecycle.js';
import { listMailbox, startListing } from './listing.js';
import { MailSession } from './mail-session.js';
import { notify } from './notices-slice.js';
import { savePreferences } from './preferences-slice.js';
import { abandonOpening } from './reader-slice.js';
import type { OfflineReason } from './saved-slice.js';
import { uidsOf } from './rows.js';
import { selectAccount, selectCounts } from './selectors.js';

export interface AccountInfo {
  readonly key: string;
  readonly server: string;
  readonly username: string;
  /** Both legs (browser→bridge and bridge→server) are encrypted: `link.kind === 'encrypted'`. */
  readonly encrypted: boolean;
  readonly link: LinkSecurity;
  readonly tlsProtocol: string | undefined;
  readonly loginMethod: string | undefined;
  readonly pipelining: boolean;
  readonly implementation: string | undefined;
  readonly notes: readonly string[];
  /** Signed in with OAuth 2.0: the configured server and its provider's label (re-consent goes there). */
  readonly oauth: { readonly serverId: string; readonly label: string } | undefined;
}

/** `connecting`: reaching the mail server through the bridge; `authenticating`: greeting to login. */
export type SignInStage = 'connecting' | 'authenticating';

/** The Locked dialog: waiting for the password, signing in with it, or refused. */
export type UnlockState =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'checking'; readonly stage: SignInStage }
  | { readonly kind: 'failed'; readonly error: UiError };

/**
 * The session as the user sees it. Opening a mailbox goes signedOut → signingIn → open (or
 * signInFailed); Refresh and Reconnect go through reopening, with the old mailbox kept on screen; a
 * drop, or a refresh that could not sign in again, is broken (Reconnect offered).
 */
export type SessionState =
  | { readonly kind: 'signedOut' }
  | { readonly kind: 'signingIn'; readonly stage: SignInStage }
  | { readonly kind: 'signInFailed'; readonly error: UiError }
  | { readonly kind: 'open'; readonly account: AccountInfo }
  /**
   * `idle`: the idle limit passed: the password (or the OAuth tokens) is forgotten and the mailbox
   * gone from memory; the same account signs in again with the password typed anew, or with the
   * provider (or Sign out). `consent`: the OAuth tokens could not be renewed, or the mail server
   * refused them: the same, "Sign in with <provider> again".
   */
  | {
      readonly kind: 'locked';
      readonly why: 'idle' | 'consent';
      readonly account: AccountInfo;
      readonly unlock: UnlockState;
    }
  /** Read-only from the store ("Open saved mail"): no session; Sign out goes back to the sign-in page. */
  | { readonly kind: 'offline'; readonly why: OfflineReason; readonly account: AccountInfo }
  | {
      readonly kind: 'reopening';
      readonly why: 'refresh' | 'reconnect';
      readonly stage: SignInStage;
      readonly account: AccountInfo;
    }
  | {
      readonly kind: 'broken';
      /** `dropped`: the link ended (or a reconnect failed); `refresh`: signing in again failed. */
      readonly why: 'dropped' | 'refresh';
      readonly error: UiError;
      /** Messages marked for deletion when the session dropped: the server did not delete them. */
      readonly lostDeletions: number;
      readonly account: AccountInfo;
    };

export interface ServersState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly list: readonly ServerInfo[];
  readonly allowAnyTarget: boolean;
  /** The idle limit and the shared-computer default (the bridge's, else the defaults). */
  readonly policy: SessionPolicy;
}

export interface SessionSlice {
  readonly session: SessionState;
  /** The bridge's configured servers, for the sign-in page. */
  readonly servers: ServersState;
  readonly actions: {
    loadServers(): Promise<void>;
    signIn(params: SignInParams): Promise<void>;
    cancelSignIn(): void;
    /** QUIT, then everything of the session is forgotten (see forget.ts); back to the sign-in page. */
    signOut(): Promise<void>;
    /** The idle limit's end (the timer calls it): like Sign out, but the Locked dialog asks for the password. */
    lock(): Promise<void>;
    /** Locked: signs the same account in again with the password typed. */
    unlock(password: string): Promise<void>;
    /** A key, click, touch or wheel turn: the idle limit counts from here. */
    noteActivity(): void;
    /**
     * QUIT (commits deletions), a new session, and the UIDL difference shown as new messages.
     * `background`: the new-mail check's, which says nothing when nothing is new.
     */
    refresh(options?: { readonly background?: boolean }): Promise<void>;
    /** A new session after a drop or a failed refresh. */
    reconnect(): Promise<void>;
    /** One keepalive check: NOOP when the session has been idle for the keepalive interval. */
    keepalive(force?: boolean): Promise<void>;
    /** Stops timers and ends the session without QUIT (page unload, tests). */
    dispose(): void;
  };
}

const signedOut = { kind: 'signedOut' } as const satisfies SessionState;

export function createSessionSlice(runtime: Runtime): Slice<SessionSlice> {
  return (set, get) => {
    const tools = { set, get };
    return {
      session: signedOut,
      servers: { status: 'idle', list: [], allowAnyTarget: false, policy: defaultSessionPolicy },
      actions: {
        async loadServers() {
          set({ servers: { ...get().servers, status: 'loading' } });
          try {
            const { servers, allowAnyTarget, sessionPolicy } = await runtime.deps.loadServers();
            set({
              servers: {
                status: 'ready',
                list: servers,
                allowAnyTarget,
                policy: sessionPolicy ?? defaultSessionPolicy,
              },
            });
          } catch {
            set({ servers: { ...get().servers, status: 'error' } });
          }
        },

        async signIn(params) {
          const { kind } = get().session;
          if (kind === 'signingIn' || kind === 'reopening') return;
          if (runtime.session) await endSession(tools, runtime);
          runtime.uncommitted.clear();
          if (runtime.credentials?.oauth !== params.oauth) forgetTokens(runtime);
          runtime.credentials = params;
          runtime.lockedAs = undefined;
          setSharedComputer(runtime, params.sharedComputer === true);
          runtime.log.push({ direction: 'info', text: `signing in as ${params.username}` });
          await startSession(tools, runtime, 'signin');
        },

        cancelSignIn() {
          runtime.attempt?.abort();
          forgetTokens(runtime);
          runtime.credentials = undefined;
          set({ session: signedOut });
        },

        signOut() {
          return signOutSession(tools, runtime);
        },

        async lock() {
          await lockSession(tools, runtime);
        },

        async unlock(password) {
          const { session } = get();
          const as = runtime.lockedAs;
          if (
            session.kind !== 'locked' ||
            session.unlock.kind === 'checking' ||
            !as ||
            session.account.oauth ||
            password === ''
          )
            return;
          runtime.credentials = { ...as, password };
          runtime.log.push({ direction: 'info', text: `signing in as ${as.username}` });
          await startSession(tools, runtime, 'unlock');
        },

        noteActivity() {
          noteActivity(runtime);
        },

        async refresh(options = {}) {
          if (get().session.kind !== 'open' || !runtime.session || !runtime.credentials) return;
          if (idleLimitPassed(tools, runtime)) return lockSession(tools, runtime);
          const previous = uidsOf(get().rows);
          await endSession(tools, runtime);
          await startSession(tools, runtime, 'refresh', previous, options.background === true);
        },

        async reconnect() {
          if (get().session.kind !== 'broken' || !runtime.credentials) return;
          // After a bridge idle cut: once the limit has passed, the password is asked for again.
          if (idleLimitPassed(tools, runtime)) return lockSession(tools, runtime);
          const previous = uidsOf(get().rows);
          await endSession(tools, runtime);
          await startSession(tools, runtime, 'reconnect', previous);
        },

        async keepalive(force = false) {
          if (get().session.kind !== 'open') return;
          await runtime.session?.keepalive(force);
        },

        dispose() {
          runtime.attempt?.abort();
          stopKeepalive(runtime);
          stopIdleWatch(runtime);
          runtime.newMail?.stop();
          abandonOpening(tools, runtime);
          runtime.log.dispose();
          forgetTokens(runtime);
          runtime.session?.close();
          runtime.session = undefined;
        },
      },
    };
  };
}

/**
 * Sign out: QUIT (the server deletes the marked messages), back to the sign-in page, the session
 * forgotten. The Sign out button and a QUIT typed in the command line (the console slice) both come here.
 */
export async function signOutSession(tools: StoreTools, runtime: Runtime): Promise<void> {
  runtime.lockedAs = undefined;
  // A password the browser keeps is not handed over again without asking the user.
  void runtime.deps.passwords?.requireAsking().catch(() => undefined);
  await endAndForget(tools, runtime, signedOut);
}

/** A shared-computer session keeps its headers in memory and uses no mail store (see app-store.ts). */
function setSharedComputer(runtime: Runtime, sharedComputer: boolean): void {
  if (runtime.sharedComputer === sharedComputer) return;
  runtime.sharedComputer = sharedComputer;
  runtime.headerCache = sharedComputer ? new HeaderCacheWriter(memoryCache()) : runtime.deviceHeaderCache;
  // What the page left before the box was ticked (the service worker's caches, an empty database).
  if (sharedComputer) void runtime.deps.forgetDevice?.().catch(() => undefined);
}

/**
 * Ends the session (QUIT, which commits deletions) and forgets it: the password, every slice's state
 * but the preferences and lists (forget.ts), and for a shared computer what it left on the device.
 * `next` is the sign-in page or the Locked dialog.
 */
async function endAndForget(
  tools: StoreTools,
  runtime: Runtime,
  next: Extract<SessionState, { kind: 'signedOut' | 'locked' }>,
): Promise<void> {
  const { set, get } = tools;
  runtime.attempt?.abort();
  forgetTokens(runtime);
  runtime.credentials = undefined;
  stopIdleWatch(runtime);
  const marked = selectCounts(get()).deleted;
  const ending = endSession(tools, runtime);
  set({ ...forgottenState(runtime), session: next });
  const committed = await ending;
  // The next sign-in's first lines are its own: a session begun meanwhile keeps its log.
  if (get().session.kind === next.kind) await forgetAfterSession(tools, runtime);
  // The sign-in page says so when the QUIT that was to delete the marked messages failed.
  if (!committed && marked > 0 && get().session.kind === next.kind) {
    notify(tools, 'delete.notCommitted', { params: { count: marked }, tone: 'warning' });
  }
}

/** The OAuth tokens of the session's credentials are dropped (their refresh timer with them). */
function forgetTokens(runtime: Runtime): void {
  runtime.credentials?.oauth?.tokens.forget();
}

/** The idle limit passed: forget the password and the mailbox, keep who it was for the Locked dialog. */
async function lockSession(tools: StoreTools, runtime: Runtime): Promise<void> {
  const { session } = tools.get();
  const params = runtime.credentials;
  if (!params || !('account' in session) || session.kind === 'offline' || session.kind === 'locked') return;
  const { password: _forgotten, oauth: _dropped, ...as } = params;
  runtime.lockedAs = as;
  runtime.log.push({ direction: 'info', text: 'locked: the idle limit passed' });
  await endAndForget(tools, runtime, {
    kind: 'locked',
    why: 'idle',
    account: session.account,
    unlock: { kind: 'waiting' },
  });
}

/**
 * The OAuth tokens of the session signed in with `tokens` could not be renewed, or the mail server
 * refused them: like the idle lock, everything is forgotten, and the dialog asks to sign in with the
 * provider again. A sign-in still under way just fails.
 */
export async function tokensLost(
  tools: StoreTools,
  runtime: Runtime,
  tokens: AccessTokenSource,
  error: UiError,
): Promise<void> {
  const params = runtime.credentials;
  if (params?.oauth?.tokens !== tokens) return;
  const { session } = tools.get();
  if (session.kind === 'signingIn') {
    runtime.attempt?.abort();
    forgetTokens(runtime);
    runtime.credentials = undefined;
    tools.set({ session: { kind: 'signInFailed', error } });
    return;
  }
  if (!('account' in session) || session.kind === 'offline' || session.kind === 'locked') return;
  const { password: _forgotten, oauth: _dropped, ...as } = params;
  runtime.lockedAs = as;
  runtime.log.push({ direction: 'info', text: `the sign-in with ${params.oauth.label} has ended` });
  await endAndForget(tools, runtime, {
    kind: 'locked',
    why: 'consent',
    account: session.account,
    unlock: { kind: 'failed', error },
  });
}

type StartMode = 'signin' | 'refresh' | 'reconnect' | 'unlock';

/**
 * Connects and logs in, then lists: a first sign-in, a new session for Refresh or Reconnect, or the
 * Locked dialog's.
 */
async function startSession(
  tools: StoreTools,
  runtime: Runtime,
  mode: StartMode,
  previousUids?: ReadonlySet<string>,
  quiet = false,
): Promise<void> {
  const { set, get } = tools;
  const params = runtime.credentials;
  const shown = selectAccount(get());
  if (!params || (mode !== 'signin' && !shown)) return;
  stopKeepalive(runtime);
  runtime.attempt?.abort();
  const attempt = new AbortController();
  runtime.attempt = attempt;
  const { signal } = attempt;
  let phase: ErrorPhase = 'connect';
  const signingIn = (stage: SignInStage): AppState['session'] =>
    mode === 'signin' || !shown
      ? { kind: 'signingIn', stage }
      : mode === 'unlock'
        ? { kind: 'locked', why: 'idle', account: shown, unlock: { kind: 'checking', stage } }
        : { kind: 'reopening', why: mode, stage, account: shown };
  if (mode === 'signin') set({ ...forgottenState(runtime), session: signingIn('connecting') });
  else set({ session: signingIn('connecting') });

  // The link's close reaches the session once it exists (before that, connect rejects).
  const link: { session: MailSession | undefined } = { session: undefined };
  let firstListing: ReturnType<typeof startListing> | undefined;
  const hooks: ConnectHooks = {
    onStage: (stage) => {
      if (signal.aborted) return;
      phase = stage === 'authenticating' ? 'login' : 'connect';
      set({ session: signingIn(stage) });
    },
    onLog: (entry) => runtime.log.push(entry),
    onClosed: (error) => link.session?.drop(error),
    // The listing's first commands go with the login's last line (see listing.ts).
    onLoggingIn: (client) => {
      firstListing = startListing(client);
    },
  };
  // The cache is read (IndexedDB opened, on a first visit created) while the session is set up, and so
  // are the account's settings the listing needs (TOP n 0 or n 10): taken from the record written at
  // sign-in, the TOPs waited for that write, 12–16 ms after UIDL was in (first-row.ts, 50 ms RTT).
  const key = accountKey(params);
  const fromCache = runtime.headerCache.read(key);
  const storedAccount = runtime.mailStore.then((store) => store?.account(key)).catch(() => undefined);
  const preferredMethod = params.method === 'auto' ? get().settings.loginMethods[key] : undefined;
  let client: MailClient;
  try {
    // OAuth: a token with a minute left at least (refreshed first when not). Without OAuth nothing is
    // awaited before connect: its WebSocket opens in the submit's task, before React's render.
    const accessToken = params.oauth ? await params.oauth.tokens.accessToken() : undefined;
    client = await runtime.deps.connect(
      { ...params, preferredMethod, ...(accessToken !== undefined ? { accessToken } : {}) },
      hooks,
      signal,
    );
  } catch (error) {
    if (signal.aborted) return;
    runtime.log.flush();
    const described = describeError(error, phase);
    // A refresh that failed has called tokensLost already (the holder's onLost).
    if (params.oauth && isOAuthError(error)) return;
    if (params.oauth && isTokenRefusal(error) && mode !== 'signin' && shown) {
      return tokensLost(tools, runtime, params.oauth.tokens, described);
    }
    if (mode === 'unlock') runtime.credentials = undefined;
    set({
      session:
        mode === 'signin' || !shown
          ? { kind: 'signInFailed', error: described }
          : mode === 'unlock'
            ? { kind: 'locked', why: 'idle', account: shown, unlock: { kind: 'failed', error: described } }
            : {
                kind: 'broken',
                why: mode === 'refresh' ? 'refresh' : 'dropped',
                error: described,
                lostDeletions: 0,
                account: shown,
              },
    });
    return;
  }
  if (signal.aborted) {
    client.close();
    return;
  }
  const account = accountInfo(params, client);
  if (
    params.method === 'auto' &&
    !runtime.sharedComputer &&
    client.loginMethod &&
    client.loginMethod !== preferredMethod
  ) {
    savePreferences(tools, runtime, {
      loginMethods: { ...get().settings.loginMethods, [key]: client.loginMethod },
    });
  }
  const opened = new MailSession(client, { now: runtime.now, keepaliveMs: runtime.keepaliveMs });
  link.session = opened;
  runtime.session = opened;
  opened.onDrop((error) => sessionDropped(tools, runtime, account, error));
  if (opened.linkEnded) {
    opened.drop(client.closeReason);
    return;
  }
  if (mode === 'signin' || mode === 'unlock') {
    runtime.lockedAs = undefined;
    startIdleWatch(tools, runtime, () => void lockSession(tools, runtime));
  }
  // The account on this device (its settings) is recorded while the list loads.
  const remembered = runtime.mailStore
    .then((store) => store?.rememberAccount({ key, server: params.server, username: params.username }))
    .catch(() => undefined);
  if (mode === 'signin') offerPassword(tools, runtime, params, account);
  const listing = listMailbox(tools, runtime, opened, account, {
    previousUids,
    fromCache,
    quiet,
    started: firstListing,
    withPreview: storedAccount.then((stored) => stored?.settings.listPreview === true),
  });
  set({ session: { kind: 'open', account } });
  startKeepalive(runtime);
  await listing;
  void keepMail(tools, runtime, opened, remembered);
}

/**
 * "Remember the password in this browser", after a login that worked: to the browser's password
 * store, and only where the bridge allows it, the box was ticked and this is not a shared computer.
 */
function offerPassword(tools: StoreTools, runtime: Runtime, params: SignInParams, account: AccountInfo) {
  const store = runtime.deps.passwords;
  if (!params.rememberPassword || params.oauth || params.password === '') return;
  if (!mayRememberPassword(tools.get().servers.policy, store, runtime.sharedComputer)) return;
  void store!
    .save({
      username: params.username,
      password: params.password,
      name: translate(tools.get().settings.language, 'toolbar.account', {
        user: account.username,
        server: account.server,
      }),
    })
    .catch(() => undefined);
}

function accountInfo(params: SignInParams, client: MailClient): AccountInfo {
  const link = linkSecurity(pageLink(), client.tls !== null);
  return {
    key: accountKey(params),
    server: serverLabel(params.server),
    username: params.username,
    encrypted: link.kind === 'encrypted',
    link,
    tlsProtocol: client.tls?.protocol ?? undefined,
    loginMethod: client.loginMethod,
    pipelining: client.capabilities?.pipelining ?? false,
    implementation: client.capabilities?.implementation,
    notes: [...client.notes],
    oauth:
      params.oauth && params.server.kind === 'configured'
        ? { serverId: params.server.id, label: params.oauth.label }
        : undefined,
  };
}
