// @vitest-environment jsdom
// The sign-in window as the page shows it, with a password account already signed in: the waiting
// line with Cancel (which leaves that account signed in), and the blocked window's words — how many
// other accounts "Continue in this tab" signs out of the tab — before it goes by the redirect.
// The flow's request is a fixed one here; the UI is what is tested.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountsShell } from '../src/accounts/AccountsShell.js';
import { completeAuthorization, refreshTokens } from '../src/oauth/flow.js';
import { HANDOVER_CHANNEL, HandoverHub, type HandoverChannel } from '../src/oauth/handover.js';
import type { OAuthProvider } from '../src/oauth/types.js';
import { giveLayout } from './support/render-app.js';
import { twoUsers } from './support/two-accounts.js';

beforeAll(giveLayout);
const channels: BroadcastChannel[] = [];
afterEach(() => {
  cleanup();
  for (const one of channels.splice(0)) one.close();
});

const provider: OAuthProvider = {
  label: 'Example ID',
  issuer: 'https://id.example.test',
  clientId: 'webpop',
  scopes: ['openid', 'email'],
  authorizationEndpoint: 'https://id.example.test/auth',
  tokenEndpoint: 'https://id.example.test/token',
  usernameClaim: 'email',
};

function withProvider(blocked: boolean) {
  const items = new Map<string, string>();
  const visited: URL[] = [];
  const opened: URL[] = [];
  const handover = new HandoverHub({
    origin: 'https://mail.example.test',
    channel: () => {
      const one = new BroadcastChannel(HANDOVER_CHANNEL);
      channels.push(one);
      return one as unknown as HandoverChannel;
    },
    window: new EventTarget() as unknown as Window,
  });
  const setup = twoUsers(0, {
    provider,
    oauth: {
      storage: {
        getItem: (key) => items.get(key) ?? null,
        setItem: (key, value) => void items.set(key, value),
        removeItem: (key) => void items.delete(key),
      },
      redirectUri: () => 'https://mail.example.test/',
      navigate: (url) => void visited.push(url),
      // oauth4webapi's request needs Node's own Uint8Array, which jsdom's realm replaces: the request
      // here is a fixed one (store-oauth.test.ts runs the real one).
      flow: async () => ({
        beginAuthorization: async (_provider, request) => ({
          url: new URL('https://id.example.test/auth?state=the-state'),
          pending: {
            ...request,
            state: 'the-state',
            codeVerifier: 'the-verifier',
            startedAt: request.now,
          },
        }),
        completeAuthorization,
        refreshTokens,
      }),
      popup: {
        open: () => (blocked ? null : { navigate: (url) => void opened.push(url), close: () => {} }),
        handover,
      },
    },
  });
  return { ...setup, visited, opened, items, handover };
}

async function passwordAccountThenAdd(user: ReturnType<typeof userEvent.setup>) {
  const server = await screen.findByRole('combobox', { name: 'Server' });
  await waitFor(() => expect(server).toHaveProperty('value', 'demo'));
  await user.type(screen.getByRole('textbox', { name: 'Username' }), 'demo');
  await user.type(screen.getByLabelText('Password'), 'secret');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  await screen.findByRole('listbox', { name: 'Messages' }, { timeout: 10_000 });
  const nav = screen.getByRole('navigation', { name: 'Accounts' });
  await user.click(within(nav).getByRole('button', { name: 'Add account' }));
  return screen.findByRole('button', { name: 'Sign in with Example ID' });
}

describe('the sign-in window on the page', () => {
  it('waits with Cancel; Cancel says so, and the password account is still signed in', async () => {
    const app = withProvider(false);
    const user = userEvent.setup();
    render(<AccountsShell accounts={app.accounts} />);
    await user.click(await passwordAccountThenAdd(user));
    const waiting = await screen.findByText(/Finish signing in with Example ID in the window that opened/);
    await waitFor(() => expect(app.opened).toHaveLength(1));
    expect(app.handover.waiting).toBe(1);
    await user.click(within(waiting.closest('[role="status"]')!).getByRole('button', { name: 'Cancel' }));
    await screen.findByText('Signing in with Example ID was cancelled. Nothing else has changed.');
    expect(app.handover.waiting).toBe(0);
    expect(app.accounts.getState().signedIn).toHaveLength(1);
    expect(app.visited).toEqual([]);
    expect(app.items.size).toBe(0);
  });

  it('a blocked window says what Continue in this tab does to the other account, then redirects', async () => {
    const app = withProvider(true);
    const user = userEvent.setup();
    render(<AccountsShell accounts={app.accounts} />);
    await user.click(await passwordAccountThenAdd(user));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The browser blocked the sign-in window');
    expect(alert.textContent).toContain('Your other account signed in here will be signed out of this tab.');
    expect(app.visited).toEqual([]);
    await user.click(within(alert).getByRole('button', { name: 'Continue in this tab' }));
    await waitFor(() => expect(app.visited).toHaveLength(1));
    expect(app.visited[0]!.origin).toBe('https://id.example.test');
    expect(app.items.size).toBe(1);
  });
});
