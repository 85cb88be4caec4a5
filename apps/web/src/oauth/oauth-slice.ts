import { describeError, type UiError } from '../session/errors.js';
import type { Runtime, Slice, StoreTools } from '../store/app-state.js';
import { tokensLost } from '../store/session-slice.js';
import { savePending, takePending, type PendingStorage } from './pending.js';
import type { HandoverHub } from './handover.js';
import type { OpenSignInWindow, SignInWindow } from './popup.js';
import { TokenHolder } from './token-holder.js';
import { OAuthError, type OAuthProvider, type PendingAuthorization } from './types.js';

/** The flow's functions (flow.ts, loaded with the first OAuth sign-in). */
export type OAuthFlow = Pick<
  typeof import('./flow.js'),
  'beginAuthorization' | 'completeAuthorization' | 'refreshTokens'
>;

/** What the OAuth client needs of the page (main.tsx gives the browser's; tests their own). */
export interface OAuthDeps {
  /** sessionStorage: the verifier and state until the return, nothing else, never localStorage. */
  readonly storage: PendingStorage;
  /** The app's own address, the redirect URI registered with the provider. */
  readonly redirectUri: () => string;
  /** Leaves the page for the provider's authorization endpoint (the redirect flow). */
  readonly navigate: (url: URL) => void;
  readonly flow: () => Promise<OAuthFlow>;
  /**
   * The popup flow (undefined: the redirect flow only). The verifier and state then stay in this
   * tab's memory, and the popup's return comes back through the page's handover hub.
   */
  readonly popup?: { readonly open: OpenSignInWindow; readonly handover: HandoverHub };
}

/**
 * `redirecting`: this tab on the way to the provider; `waiting`: the sign-in window is open, the
 * verifier and state in memory until its return; `blocked`: the browser refused the window, and
 * "Continue in this tab" (the redirect, which ends the other accounts' sessions in this tab) is
 * offered; `cancelled`: the user gave up waiting (a closed window cannot be seen under COOP);
 * `completing`: back, exchanging the code (then the session slice signs in); `failed`: why not.
 */
export type OAuthState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'redirecting'; readonly provider: string }
  | { readonly kind: 'waiting'; readonly provider: string }
  | { readonly kind: 'blocked'; readonly provider: string }
  | { readonly kind: 'cancelled'; readonly provider: string }
  | { readonly kind: 'completing' }
  | { readonly kind: 'failed'; readonly error: UiError };

export interface OAuthStartRequest {
  readonly serverId: string;
  /** Typed on the sign-in page: `login_hint`, and the mailbox login; empty: the ID token's claim. */
  readonly username: string;
  readonly sharedComputer: boolean;
}

export interface OAuthSlice {
  readonly oauth: OAuthState;
  readonly actions: {
    /** "Sign in with <provider>": to the provider (authorization code, PKCE S256, state). */
    startOAuth(request: OAuthStartRequest): Promise<void>;
    /** The re-consent ("Sign in with <provider> again") of the locked account. */
    reconsent(): Promise<void>;
    /** The return from the provider (the URL's parameters, already removed from the address bar). */
    completeOAuth(parameters: URLSearchParams): Promise<void>;
    /** The blocked window's "Continue in this tab": the redirect flow for the same request. */
    continueInThisTab(): Promise<void>;
    /** Stops waiting for the sign-in window (its late return is then ignored). */
    cancelOAuth(): void;
  };
}

/** The popup sign-in under way: one per account runtime (a second start replaces the first). */
interface Attempt {
  readonly controller: AbortController;
  readonly window: SignInWindow;
}

const idle = { kind: 'idle' } as const satisfies OAuthState;

export function createOAuthSlice(runtime: Runtime): Slice<OAuthSlice> {
  return (set, get) => {
    const tools: StoreTools = { set, get };
    const fail = (error: unknown) => set({ oauth: { kind: 'failed', error: describeError(error, 'login') } });
    const providerOf = (serverId: string): OAuthProvider | undefined =>
      get().servers.list.find((server) => server.id === serverId)?.oauth;
    let attempt: Attempt | undefined;
    // The request the blocked window was for ("Continue in this tab" repeats it in this tab).
    let blocked: OAuthStartRequest | undefined;

    const stopAttempt = () => {
      attempt?.controller.abort();
      attempt?.window.close();
      attempt = undefined;
    };

    /** The authorization request (PKCE verifier, state) and the provider's URL for it, either flow. */
    const begin = async (deps: OAuthDeps, provider: OAuthProvider, request: OAuthStartRequest) =>
      (await deps.flow()).beginAuthorization(provider, {
        ...request,
        redirectUri: deps.redirectUri(),
        now: runtime.now(),
      });

    /** The redirect flow: the verifier and state in sessionStorage, then this tab leaves. */
    const redirect = async (deps: OAuthDeps, provider: OAuthProvider, request: OAuthStartRequest) => {
      set({ oauth: { kind: 'redirecting', provider: provider.label } });
      try {
        const { url, pending } = await begin(deps, provider, request);
        savePending(deps.storage, pending);
        deps.navigate(url);
      } catch (error) {
        fail(error);
      }
    };

    /** The popup flow: opened at once (inside the click), the request in memory until the return. */
    const popup = async (
      deps: OAuthDeps,
      ways: NonNullable<OAuthDeps['popup']>,
      provider: OAuthProvider,
      request: OAuthStartRequest,
    ) => {
      stopAttempt();
      const signInWindow = ways.open();
      if (!signInWindow) {
        blocked = request;
        set({ oauth: { kind: 'blocked', provider: provider.label } });
        return;
      }
      const mine: Attempt = { controller: new AbortController(), window: signInWindow };
      attempt = mine;
      const { signal } = mine.controller;
      set({ oauth: { kind: 'waiting', provider: provider.label } });
      try {
        const { url, pending } = await begin(deps, provider, request);
        if (signal.aborted) return;
        signInWindow.navigate(url);
        const parameters = await ways.handover.expect(pending.state, signal);
        attempt = undefined;
        await complete(deps, pending, parameters);
      } catch (error) {
        if (signal.aborted) return;
        if (attempt === mine) stopAttempt();
        fail(error);
      }
    };

    const startOAuth = async (request: OAuthStartRequest) => {
      const deps = runtime.deps.oauth;
      const provider = providerOf(request.serverId);
      const { kind } = get().oauth;
      if (!deps || !provider || kind === 'redirecting' || kind === 'completing') return;
      blocked = undefined;
      if (deps.popup) return popup(deps, deps.popup, provider, request);
      return redirect(deps, provider, request);
    };

    /** The return's code exchanged for the pending authorization, and the session signed in. */
    const complete = async (deps: OAuthDeps, pending: PendingAuthorization, parameters: URLSearchParams) => {
      set({ oauth: { kind: 'completing' } });
      try {
        if (get().servers.status !== 'ready') await get().actions.loadServers();
        const provider = providerOf(pending.serverId);
        const server = get().servers.list.find((entry) => entry.id === pending.serverId);
        if (!provider || !server)
          throw new OAuthError('exchange', 'the bridge no longer offers this sign-in');
        const flow = await deps.flow();
        const grant = await flow.completeAuthorization(provider, pending, parameters, runtime.now);
        const username = pending.username || grant.claimedUsername;
        if (!username) throw new OAuthError('username', `the ID token has no "${provider.usernameClaim}"`);
        const holder: TokenHolder = new TokenHolder(grant.tokens, {
          now: runtime.now,
          refresh: (refreshToken) => flow.refreshTokens(provider, refreshToken, runtime.now),
          onRefreshed: () =>
            runtime.log.push({
              direction: 'info',
              text: `the access token from ${provider.label} was refreshed`,
            }),
          onLost: (error) => void tokensLost(tools, runtime, holder, describeError(error, 'login')),
        });
        set({ oauth: idle });
        await get().actions.signIn({
          server: { kind: 'configured', id: server.id, label: server.label },
          username,
          password: '',
          method: 'auto',
          allowPlaintext: false,
          sharedComputer: pending.sharedComputer,
          oauth: { label: provider.label, tokens: holder },
        });
      } catch (error) {
        fail(error);
      }
    };

    return {
      oauth: idle,
      actions: {
        startOAuth,

        async reconsent() {
          const as = runtime.lockedAs;
          const { session } = get();
          if (session.kind !== 'locked' || !session.account.oauth || !as) return;
          await startOAuth({
            serverId: session.account.oauth.serverId,
            username: as.username,
            sharedComputer: as.sharedComputer === true,
          });
        },

        async completeOAuth(parameters) {
          const deps = runtime.deps.oauth;
          if (!deps) return;
          // Read once and removed, whatever follows: a return cannot be replayed from this tab.
          const pending = takePending(deps.storage, runtime.now());
          if (!pending) return fail(new OAuthError('state', 'no sign-in with a provider was under way here'));
          await complete(deps, pending, parameters);
        },

        async continueInThisTab() {
          const deps = runtime.deps.oauth;
          const request = blocked;
          const provider = request && providerOf(request.serverId);
          if (!deps || !request || !provider || get().oauth.kind !== 'blocked') return;
          blocked = undefined;
          await redirect(deps, provider, request);
        },

        cancelOAuth() {
          const { oauth } = get();
          if (oauth.kind !== 'waiting' && oauth.kind !== 'blocked') return;
          stopAttempt();
          blocked = undefined;
          set({ oauth: { kind: 'cancelled', provider: oauth.provider } });
        },
      },
    };
  };
}
