import { describeError, type ErrorPhase, type UiError } from '../session/errors.js';
import { linkSecurity, pageLink, type LinkSecurity } from '../session/link-security.js';
import {
  accountKey,
  serverLabel,
  type ConnectHooks,
  type MailClient,
  type ServerInfo,
  type SignInParams,
} from '../session/types.js';
import type { AppState, Runtime, Slice, StoreTools } from './app-state.js';
import { initialDevice } from './device-slice.js';
import { keepMail } from './downloads.js';
import { endSession, sessionDropped, startKeepalive, stopKeepalive } from './lifecycle.js';
import { listMailbox } from './listing.js';
import { MailSession } from './mail-session.js';
import { emptyMailbox } from './mailbox-slice.js';
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
}

/** `connecting`: reaching the mail server through the bridge; `authenticating`: greeting to login. */
export type SignInStage = 'connecting' | 'authenticating';

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
}

export interface SessionSlice {
  readonly session: SessionState;
  /** The bridge's configured servers, for the sign-in page. */
  readonly servers: ServersState;
  readonly actions: {
    loadServers(): Promise<void>;
    signIn(params: SignInParams): Promise<void>;
    cancelSignIn(): void;
    signOut(): Promise<void>;
    /** QUIT (commits deletions), a new session, and the UIDL difference shown as new messages. */
    refresh(): Promise<void>;
    /** A new session after a drop or a failed refresh. */
    reconnect(): Promise<void>;
    /** One keepalive check: NOOP when the session has been idle for the keepalive interval. */
    keepalive(force?: boolean): Promise<void>;
    /** Stops timers and ends the session without QUIT (page unload, tests). */
    dispose(): void;
  };
}

const signedOut: SessionState = { kind: 'signedOut' };

export function createSessionSlice(runtime: Runtime): Slice<SessionSlice> {
  return (set, get) => {
    const tools = { set, get };
    return {
      session: signedOut,
      servers: { status: 'idle', list: [], allowAnyTarget: false },
      actions: {
        async loadServers() {
          set({ servers: { ...get().servers, status: 'loading' } });
          try {
            const { servers, allowAnyTarget } = await runtime.deps.loadServers();
            set({ servers: { status: 'ready', list: servers, allowAnyTarget } });
          } catch {
            set({ servers: { ...get().servers, status: 'error' } });
          }
        },

        async signIn(params) {
          const { kind } = get().session;
          if (kind === 'signingIn' || kind === 'reopening') return;
          if (runtime.session) await endSession(tools, runtime);
          runtime.uncommitted.clear();
          runtime.credentials = params;
          runtime.log.push({ direction: 'info', text: `signing in as ${params.username}` });
          await startSession(tools, runtime, 'signin');
        },

        cancelSignIn() {
          runtime.attempt?.abort();
          runtime.credentials = undefined;
          set({ session: signedOut });
        },

        signOut() {
          return signOutSession(tools, runtime);
        },

        async refresh() {
          if (get().session.kind !== 'open' || !runtime.session || !runtime.credentials) return;
          const previous = uidsOf(get().rows);
          await endSession(tools, runtime);
          await startSession(tools, runtime, 'refresh', previous);
        },

        async reconnect() {
          if (get().session.kind !== 'broken' || !runtime.credentials) return;
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
          abandonOpening(tools, runtime);
          runtime.log.dispose();
          runtime.session?.close();
          runtime.session = undefined;
        },
      },
    };
  };
}

/**
 * Sign out: QUIT (the server deletes the marked messages), back to the sign-in page. The Sign out
 * button and a QUIT typed in the command line (the console slice) both come here.
 */
export async function signOutSession(tools: StoreTools, runtime: Runtime): Promise<void> {
  const { set, get } = tools;
  runtime.attempt?.abort();
  runtime.credentials = undefined;
  const marked = selectCounts(get()).deleted;
  const ending = endSession(tools, runtime);
  set({ session: signedOut, ...emptyMailbox, open: null, notice: null, device: initialDevice });
  const committed = await ending;
  runtime.uncommitted.clear();
  runtime.log.flush();
  // The sign-in page says so when the QUIT that was to delete the marked messages failed.
  if (!committed && marked > 0 && get().session.kind === 'signedOut') {
    notify(tools, 'delete.notCommitted', { params: { count: marked }, tone: 'warning' });
  }
}

/** Connects and logs in, then lists: a first sign-in, or a new session for Refresh or Reconnect. */
async function startSession(
  tools: StoreTools,
  runtime: Runtime,
  mode: 'signin' | 'refresh' | 'reconnect',
  previousUids?: ReadonlySet<string>,
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
  const signingIn = (stage: 'connecting' | 'authenticating'): AppState['session'] =>
    mode === 'signin' || !shown
      ? { kind: 'signingIn', stage }
      : { kind: 'reopening', why: mode, stage, account: shown };
  if (mode === 'signin')
    set({
      session: signingIn('connecting'),
      ...emptyMailbox,
      open: null,
      notice: null,
      device: initialDevice,
    });
  else set({ session: signingIn('connecting') });

  // The link's close reaches the session once it exists (before that, connect rejects).
  const link: { session: MailSession | undefined } = { session: undefined };
  const hooks: ConnectHooks = {
    onStage: (stage) => {
      if (signal.aborted) return;
      phase = stage === 'authenticating' ? 'login' : 'connect';
      set({ session: signingIn(stage) });
    },
    onLog: (entry) => runtime.log.push(entry),
    onClosed: (error) => link.session?.drop(error),
  };
  // The cache is read (IndexedDB opened, on a first visit created) while the session is set up.
  const key = accountKey(params);
  const fromCache = runtime.headerCache.read(key);
  const preferredMethod = params.method === 'auto' ? get().settings.loginMethods[key] : undefined;
  let client: MailClient;
  try {
    client = await runtime.deps.connect({ ...params, preferredMethod }, hooks, signal);
  } catch (error) {
    if (signal.aborted) return;
    runtime.log.flush();
    const described = describeError(error, phase);
    set({
      session:
        mode === 'signin' || !shown
          ? { kind: 'signInFailed', error: described }
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
  if (params.method === 'auto' && client.loginMethod && client.loginMethod !== preferredMethod) {
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
  // The account on this device (its settings) is recorded while the list loads.
  const remembered = runtime.mailStore
    .then((store) => store?.rememberAccount({ key, server: params.server, username: params.username }))
    .catch(() => undefined);
  const listing = listMailbox(tools, runtime, opened, account, previousUids, fromCache);
  set({ session: { kind: 'open', account } });
  startKeepalive(runtime);
  await listing;
  void keepMail(tools, runtime, opened, remembered);
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
  };
}
