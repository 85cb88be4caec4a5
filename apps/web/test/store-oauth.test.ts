// The OAuth slice with the session slice, on fake timers: "Sign in with <provider>" keeps only the
// verifier and state, in the tab's sessionStorage; the return signs in with the access token (never in
// state or storage); the token is refreshed a minute before it expires and the next login uses the new
// one; a refused refresh or a token the mail server refuses ends in "Sign in with <provider> again";
// the idle lock and Sign out forget the tokens. The authorization request is oauth4webapi's own (no
// network with configured endpoints); only the token endpoint's answers are given here.
import { Pop3OAuthError, Pop3ServerError } from '@webpop/pop3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { beginAuthorization, completeAuthorization } from '../src/oauth/flow.js';
import { PENDING_KEY } from '../src/oauth/limits.js';
import { HANDOVER_CHANNEL, HandoverHub, handOver, type HandoverChannel } from '../src/oauth/handover.js';
import type { OAuthFlow } from '../src/oauth/oauth-slice.js';
import type { OpenSignInWindow } from '../src/oauth/popup.js';
import { OAuthError, type OAuthProvider, type OAuthTokens } from '../src/oauth/types.js';
import type { ServerList } from '../src/session/types.js';
import type { AppState } from '../src/store/app-state.js';
import { setup } from './support/app.js';

const MINUTE = 60_000;

const provider: OAuthProvider = {
  label: 'Example ID',
  issuer: 'https://id.example.test',
  clientId: 'webpop',
  scopes: ['openid', 'email', 'offline_access', 'mail'],
  audience: 'pop3',
  authorizationEndpoint: 'https://id.example.test/auth',
  tokenEndpoint: 'https://id.example.test/token',
  usernameClaim: 'email',
  authorizationParams: { prompt: 'consent' },
};

const servers = async (): Promise<ServerList> => ({
  servers: [{ id: 'demo', label: 'Demo mailbox', security: 'none', oauth: provider }],
  allowAnyTarget: false,
  sessionPolicy: { idleMinutes: 30, sharedComputerDefault: false },
});

/** The state as JSON, without the actions: what a token must never be part of. */
const stateText = (state: AppState) => {
  const { actions: _actions, ...rest } = state;
  return JSON.stringify(rest, (_key, value: unknown) => (value instanceof Map ? [...value] : value));
};

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(new Date('2026-12-01T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

async function settled<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const result = work.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(5);
  return result;
}

const issued = (name: string, lifetimeMs: number): OAuthTokens => ({
  accessToken: name,
  refreshToken: `refresh-${name}`,
  expiresAt: Date.now() + lifetimeMs,
});

function oauthApp(options: { claimed?: string; refreshes?: Array<(() => OAuthTokens) | Error> } = {}) {
  const storage = memoryStorage();
  const visited: URL[] = [];
  const refreshedWith: string[] = [];
  const refreshes = options.refreshes ?? [];
  const flow: OAuthFlow = {
    beginAuthorization,
    completeAuthorization: async (_provider, pending, parameters) => {
      expect(parameters.get('state')).toBe(pending.state);
      return { tokens: issued('access-1', 5 * MINUTE), claimedUsername: options.claimed ?? 'demo' };
    },
    refreshTokens: async (_provider, refreshToken) => {
      refreshedWith.push(refreshToken);
      const next = refreshes.shift();
      if (!next) throw new OAuthError('refresh', 'no more answers');
      if (next instanceof Error) throw next;
      return next();
    },
  };
  const app = setup(undefined, {
    deps: {
      loadServers: servers,
      keepaliveMs: 10 * MINUTE,
      oauth: {
        storage,
        redirectUri: () => 'https://mail.example.test/',
        navigate: (url) => void visited.push(url),
        flow: async () => flow,
      },
    },
  });
  return { ...app, storage, visited, refreshedWith };
}

/** "Sign in with Example ID", then the provider's return with a code and the state sent. */
async function signInWithProvider(app: ReturnType<typeof oauthApp>, username = '', sharedComputer = false) {
  await settled(app.actions.loadServers());
  await settled(app.actions.startOAuth({ serverId: 'demo', username, sharedComputer }));
  const sent = app.visited.at(-1)!;
  await settled(
    app.actions.completeOAuth(
      new URLSearchParams({ code: 'the-code', state: sent.searchParams.get('state')! }),
    ),
  );
  return sent;
}

describe('Sign in with OAuth', () => {
  it('sends the browser with PKCE S256, state and login_hint, keeping only those in sessionStorage', async () => {
    const app = oauthApp();
    await settled(app.actions.loadServers());
    await settled(
      app.actions.startOAuth({ serverId: 'demo', username: 'ana@example.test', sharedComputer: false }),
    );
    const [sent] = app.visited;
    expect(sent?.origin + sent!.pathname).toBe('https://id.example.test/auth');
    const query = Object.fromEntries(sent!.searchParams);
    expect(query).toMatchObject({
      client_id: 'webpop',
      redirect_uri: 'https://mail.example.test/',
      response_type: 'code',
      scope: 'openid email offline_access mail',
      code_challenge_method: 'S256',
      resource: 'pop3',
      login_hint: 'ana@example.test',
      prompt: 'consent',
    });
    expect(query.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const pending = JSON.parse(app.storage.items.get(PENDING_KEY)!) as Record<string, string>;
    expect(pending.state).toBe(query.state);
    expect(pending.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(query)).not.toContain(pending.codeVerifier);
    expect(app.store.getState().oauth).toEqual({ kind: 'redirecting', provider: 'Example ID' });
  });

  it('signs in at the return with the access token and the ID token claim; nothing kept but in memory', async () => {
    const app = oauthApp({ claimed: 'demo' });
    await signInWithProvider(app);
    const state = app.store.getState();
    expect(state.session).toMatchObject({
      kind: 'open',
      account: { username: 'demo', oauth: { serverId: 'demo', label: 'Example ID' } },
    });
    expect(app.server.logins.map((login) => [login.username, login.accessToken, login.password])).toEqual([
      ['demo', 'access-1', ''],
    ]);
    expect(app.storage.items.size).toBe(0);
    expect(stateText(state)).not.toContain('access-1');
    expect(stateText(state)).not.toContain('refresh-access-1');
    expect(JSON.stringify(app.settings.load())).not.toContain('access-1');
  });

  it('a return without a sign-in under way (or a second time) is refused', async () => {
    const app = oauthApp();
    await settled(app.actions.loadServers());
    await settled(app.actions.completeOAuth(new URLSearchParams({ code: 'c', state: 's' })));
    expect(app.store.getState().oauth).toMatchObject({ kind: 'failed', error: { key: 'error.oauth.state' } });
    expect(app.server.logins).toEqual([]);
  });

  it('refreshes a minute before expiry, and the next login presents the new token', async () => {
    const app = oauthApp({ refreshes: [() => issued('access-2', 5 * MINUTE)] });
    await signInWithProvider(app);
    await vi.advanceTimersByTimeAsync(4 * MINUTE - 1000);
    expect(app.refreshedWith).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(app.refreshedWith).toEqual(['refresh-access-1']);
    app.actions.noteActivity();
    await settled(app.actions.refresh());
    expect(app.server.logins.map((login) => login.accessToken)).toEqual(['access-1', 'access-2']);
    expect(app.store.getState().session.kind).toBe('open');
  });

  it('a refused refresh ends the session in "Sign in with Example ID again", which goes back with login_hint', async () => {
    const app = oauthApp({ refreshes: [new OAuthError('refresh', 'invalid_grant')] });
    await signInWithProvider(app);
    await vi.advanceTimersByTimeAsync(4 * MINUTE);
    const state = app.store.getState();
    expect(state.session).toMatchObject({
      kind: 'locked',
      why: 'consent',
      account: { username: 'demo' },
      unlock: { kind: 'failed', error: { key: 'error.oauth.refresh' } },
    });
    expect(state.rows).toEqual([]);
    expect(app.server.sessions[0]!.commands.at(-1)).toBe('QUIT');
    await settled(app.actions.reconsent());
    expect(app.visited.at(-1)?.searchParams.get('login_hint')).toBe('demo');
  });

  it("the mail server's refusal of the token at a new login asks for consent too", async () => {
    const app = oauthApp();
    await signInWithProvider(app);
    app.server.failWith = new Pop3OAuthError(
      new Pop3ServerError('AUTH OAUTHBEARER', 'Authentication failed', 'AUTH', 'login'),
      { status: 'invalid_token', scope: undefined, openidConfiguration: undefined },
    );
    await settled(app.actions.refresh());
    expect(app.store.getState().session).toMatchObject({
      kind: 'locked',
      why: 'consent',
      unlock: { kind: 'failed', error: { key: 'error.oauth.refused' } },
    });
  });

  it('a token refused at the first sign-in (another user) fails the sign-in with the OAuth words', async () => {
    const app = oauthApp();
    app.server.failWith = new Pop3OAuthError(
      new Pop3ServerError('AUTH OAUTHBEARER', 'Authentication failed', 'AUTH', 'login'),
      { status: 'invalid_token', scope: undefined, openidConfiguration: undefined },
    );
    await signInWithProvider(app, 'someone-else');
    expect(app.server.logins[0]?.username).toBe('someone-else');
    expect(app.store.getState().session).toMatchObject({
      kind: 'signInFailed',
      error: { key: 'error.oauth.refused', detail: { text: 'Authentication failed (invalid_token)' } },
    });
  });

  it('the idle lock and Sign out forget the tokens: no refresh after, and the dialog offers the provider', async () => {
    const app = oauthApp({ refreshes: [() => issued('access-2', 5 * MINUTE)] });
    await signInWithProvider(app);
    await settled(app.actions.lock());
    expect(app.store.getState().session).toMatchObject({ kind: 'locked', why: 'idle' });
    await settled(app.actions.unlock('a password'));
    expect(app.server.logins).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(app.refreshedWith).toEqual([]);

    const again = oauthApp({ refreshes: [() => issued('access-2', 5 * MINUTE)] });
    await signInWithProvider(again, '', true);
    await settled(again.actions.signOut());
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(again.refreshedWith).toEqual([]);
    expect(again.storage.items.size).toBe(0);
    expect(stateText(again.store.getState())).not.toContain('access-1');
  });
});

describe('the return from the provider (oauth4webapi, before any request)', () => {
  const pending = {
    state: 'the-state',
    codeVerifier: 'v'.repeat(43),
    redirectUri: 'https://mail.example.test/',
    serverId: 'demo',
    username: '',
    sharedComputer: false,
    startedAt: 0,
  };
  it('refuses another state, and reports a provider error as denied', async () => {
    await expect(
      completeAuthorization(provider, pending, new URLSearchParams({ code: 'c', state: 'other' }), Date.now),
    ).rejects.toMatchObject({ name: 'OAuthError', kind: 'state' });
    await expect(
      completeAuthorization(
        provider,
        pending,
        new URLSearchParams({
          error: 'access_denied',
          error_description: 'The user said no',
          state: 'the-state',
        }),
        Date.now,
      ),
    ).rejects.toMatchObject({ kind: 'denied', message: 'The user said no' });
  });
});

describe('Sign in with OAuth in a popup', () => {
  /** A sign-in window as the page's: where it was sent, and whether it was closed. */
  function windows(blocked = false) {
    const opened: Array<{ sent: URL | undefined; closed: boolean }> = [];
    const open: OpenSignInWindow = () => {
      if (blocked) return null;
      const one = { sent: undefined as URL | undefined, closed: false };
      opened.push(one);
      return { navigate: (url) => void (one.sent = url), close: () => void (one.closed = true) };
    };
    return { opened, open };
  }

  function popupApp(options: { blocked?: boolean } = {}) {
    const storage = memoryStorage();
    const visited: URL[] = [];
    const page = new EventTarget();
    const channels: BroadcastChannel[] = [];
    const handover = new HandoverHub({
      origin: 'https://mail.example.test',
      channel: () => {
        const one = new BroadcastChannel(HANDOVER_CHANNEL);
        channels.push(one);
        return one as unknown as HandoverChannel;
      },
      window: page as unknown as Window,
    });
    const popup = windows(options.blocked);
    const flow: OAuthFlow = {
      beginAuthorization,
      // The provider's error goes through oauth4webapi's own check (no network before it throws).
      completeAuthorization: async (provider, pending, parameters, now) => {
        if (parameters.has('error')) return completeAuthorization(provider, pending, parameters, now);
        expect(parameters.get('state')).toBe(pending.state);
        return {
          tokens: issued(`access-${parameters.get('code')}`, 5 * MINUTE),
          claimedUsername: 'demo',
        };
      },
      refreshTokens: async () => {
        throw new OAuthError('refresh', 'not in these tests');
      },
    };
    const app = setup(undefined, {
      deps: {
        loadServers: servers,
        keepaliveMs: 10 * MINUTE,
        oauth: {
          storage,
          redirectUri: () => 'https://mail.example.test/',
          navigate: (url) => void visited.push(url),
          flow: async () => flow,
          popup: { open: popup.open, handover },
        },
      },
    });
    /** The popup's page at its return: handed over on its own BroadcastChannel, as in the browser. */
    const returnFrom = (parameters: Record<string, string>) => {
      const one = new BroadcastChannel(HANDOVER_CHANNEL);
      channels.push(one);
      return handOver(
        {
          origin: 'https://mail.example.test',
          channel: one as unknown as HandoverChannel,
          opener: null,
          window: new EventTarget() as unknown as Window,
          timeoutMs: 500,
        },
        new URLSearchParams(parameters),
      );
    };
    const close = () => channels.forEach((one) => one.close());
    return { ...app, storage, visited, popup, handover, returnFrom, close };
  }

  /** Real channels deliver in real time: timers run for real in these tests. */
  beforeEach(() => vi.useRealTimers());
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(check()).toBe(true);
  };

  it('opens the window in the click, sends it to the provider, keeps nothing in storage, and signs in at its return', async () => {
    const app = popupApp();
    await app.actions.loadServers();
    const started = app.actions.startOAuth({ serverId: 'demo', username: '', sharedComputer: false });
    // Opened before any await (a window opened later may be blocked for want of the click).
    expect(app.popup.opened).toHaveLength(1);
    expect(app.store.getState().oauth).toEqual({ kind: 'waiting', provider: 'Example ID' });
    await until(() => app.popup.opened[0]!.sent !== undefined);
    const sent = app.popup.opened[0]!.sent!;
    expect(sent.origin + sent.pathname).toBe('https://id.example.test/auth');
    expect(sent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(app.storage.items.size).toBe(0);
    expect(app.visited).toEqual([]);
    expect(stateText(app.store.getState())).not.toContain(sent.searchParams.get('state')!);

    expect(await app.returnFrom({ code: '1', state: sent.searchParams.get('state')! })).toBe(true);
    await started;
    await until(() => app.store.getState().session.kind === 'open');
    expect(app.server.logins.map((login) => login.accessToken)).toEqual(['access-1']);
    expect(app.store.getState().oauth).toEqual({ kind: 'idle' });
    app.close();
  });

  it('a blocked window offers the redirect in this tab, which then keeps the verifier in sessionStorage', async () => {
    const app = popupApp({ blocked: true });
    await app.actions.loadServers();
    await app.actions.startOAuth({ serverId: 'demo', username: 'ana', sharedComputer: false });
    expect(app.store.getState().oauth).toEqual({ kind: 'blocked', provider: 'Example ID' });
    expect(app.visited).toEqual([]);
    await app.actions.continueInThisTab();
    expect(app.visited).toHaveLength(1);
    expect(app.visited[0]!.searchParams.get('login_hint')).toBe('ana');
    expect(JSON.parse(app.storage.items.get(PENDING_KEY)!)).toMatchObject({
      state: app.visited[0]!.searchParams.get('state'),
    });
    expect(app.store.getState().oauth).toEqual({ kind: 'redirecting', provider: 'Example ID' });
    app.close();
  });

  it('Cancel stops waiting: the window is closed where it can be, and its late return is not taken', async () => {
    const app = popupApp();
    await app.actions.loadServers();
    const started = app.actions.startOAuth({ serverId: 'demo', username: '', sharedComputer: false });
    await until(() => app.popup.opened[0]!.sent !== undefined);
    const state = app.popup.opened[0]!.sent!.searchParams.get('state')!;
    app.actions.cancelOAuth();
    await started;
    expect(app.store.getState().oauth).toEqual({ kind: 'cancelled', provider: 'Example ID' });
    expect(app.popup.opened[0]!.closed).toBe(true);
    expect(app.handover.waiting).toBe(0);
    expect(await app.returnFrom({ code: '1', state })).toBe(false);
    expect(app.server.logins).toEqual([]);
    expect(app.store.getState().session.kind).toBe('signedOut');
    app.close();
  });

  it("the provider's access_denied is said as denied, and nothing is signed in", async () => {
    const app = popupApp();
    await app.actions.loadServers();
    const started = app.actions.startOAuth({ serverId: 'demo', username: '', sharedComputer: false });
    await until(() => app.popup.opened[0]!.sent !== undefined);
    const state = app.popup.opened[0]!.sent!.searchParams.get('state')!;
    expect(await app.returnFrom({ error: 'access_denied', state })).toBe(true);
    await started;
    expect(app.store.getState().oauth).toMatchObject({
      kind: 'failed',
      error: { key: 'error.oauth.denied' },
    });
    expect(app.server.logins).toEqual([]);
    app.close();
  });

  it('a second start replaces the first: the first window is closed and its return ignored', async () => {
    const app = popupApp();
    await app.actions.loadServers();
    const first = app.actions.startOAuth({ serverId: 'demo', username: '', sharedComputer: false });
    await until(() => app.popup.opened[0]!.sent !== undefined);
    const firstState = app.popup.opened[0]!.sent!.searchParams.get('state')!;
    const second = app.actions.startOAuth({ serverId: 'demo', username: '', sharedComputer: false });
    expect(app.popup.opened).toHaveLength(2);
    expect(app.popup.opened[0]!.closed).toBe(true);
    await first;
    await until(() => app.popup.opened[1]!.sent !== undefined);
    const secondState = app.popup.opened[1]!.sent!.searchParams.get('state')!;
    expect(secondState).not.toBe(firstState);
    expect(await app.returnFrom({ code: 'old', state: firstState })).toBe(false);
    expect(await app.returnFrom({ code: '2', state: secondState })).toBe(true);
    await second;
    await until(() => app.store.getState().session.kind === 'open');
    expect(app.server.logins.map((login) => login.accessToken)).toEqual(['access-2']);
    app.close();
  });
});
