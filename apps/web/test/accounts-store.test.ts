import { afterEach, describe, expect, it, vi } from 'vitest';
import { shownEntry, signedInEntries } from '../src/accounts/accounts-store.js';
import { signInParams, until } from './support/app.js';
import { twoUsers } from './support/two-accounts.js';

type Accounts = ReturnType<typeof twoUsers>['accounts'];

async function signInShown(accounts: Accounts, username: string, sharedComputer = false) {
  const store = shownEntry(accounts.getState())!.store;
  await store.getState().actions.loadServers();
  await store.getState().actions.signIn({ ...signInParams, username, sharedComputer });
  await until(store, (state) => state.listing.phase === 'done');
  return store;
}

let disposeLater: Accounts | undefined;
afterEach(() => {
  disposeLater?.getState().actions.dispose();
  disposeLater = undefined;
  vi.useRealTimers();
});

describe('several accounts', () => {
  it('adds an account without leaving the first: each keeps its own session and rows', async () => {
    const { accounts, servers } = twoUsers();
    disposeLater = accounts;
    const first = await signInShown(accounts, 'demo');
    accounts.getState().actions.addAccount();
    const { adding, view, entries } = accounts.getState();
    expect(entries).toHaveLength(2);
    expect(adding).toMatchObject({ kind: 'adding', returnTo: { kind: 'account', id: entries[0]!.id } });
    expect(view).toEqual({ kind: 'account', id: entries[1]!.id });
    // The first account's session is untouched while the form is up.
    expect(first.getState().session.kind).toBe('open');
    const second = await signInShown(accounts, 'second');
    expect(accounts.getState().adding).toEqual({ kind: 'idle' });
    expect(first.getState().rows.map((row) => row.uid)).toEqual(['d-1']);
    expect(
      second
        .getState()
        .rows.map((row) => row.uid)
        .sort(),
    ).toEqual(['s-1', 's-2']);
    expect(servers.demo.sessions[0]!.commands).not.toContain('QUIT');
    expect(signedInEntries(accounts.getState()).map((entry) => entry.colour)).toEqual([
      entries[0]!.colour,
      entries[1]!.colour,
    ]);
    expect(entries[0]!.colour).not.toBe(entries[1]!.colour);
    // Switching shows the other runtime; nothing is signed in again.
    accounts.getState().actions.show(entries[0]!.id);
    expect(shownEntry(accounts.getState())!.store).toBe(first);
    expect(servers.demo.logins).toHaveLength(1);
    expect(servers.second.logins).toHaveLength(1);
  });

  it('cancelling "Add account" goes back to the account shown and drops the unused form', async () => {
    const { accounts } = twoUsers();
    disposeLater = accounts;
    await signInShown(accounts, 'demo');
    const firstId = accounts.getState().entries[0]!.id;
    accounts.getState().actions.showAllInboxes();
    accounts.getState().actions.addAccount();
    accounts.getState().actions.cancelAdding();
    expect(accounts.getState().entries.map((entry) => entry.id)).toEqual([firstId]);
    expect(accounts.getState().view).toEqual({ kind: 'allInboxes' });
  });

  it('finds an account already signed in, for the form to switch to it instead', async () => {
    const { accounts } = twoUsers();
    disposeLater = accounts;
    const first = await signInShown(accounts, 'demo');
    accounts.getState().actions.addAccount();
    const adding = accounts.getState().entries[1]!.id;
    const key = first.getState().device.account?.key ?? 'server:demo|demo';
    expect(accounts.getState().actions.signedInAs(key, adding)?.store).toBe(first);
    expect(accounts.getState().actions.signedInAs(key, accounts.getState().entries[0]!.id)).toBeUndefined();
  });

  it('Sign out of one account removes only it; Sign out of all leaves the sign-in page', async () => {
    const { accounts, servers } = twoUsers();
    disposeLater = accounts;
    const first = await signInShown(accounts, 'demo');
    accounts.getState().actions.addAccount();
    const second = await signInShown(accounts, 'second');
    await second.getState().actions.signOut();
    expect(servers.second.sessions[0]!.commands.at(-1)).toBe('QUIT');
    expect(accounts.getState().entries.map((entry) => entry.store)).toEqual([first]);
    expect(shownEntry(accounts.getState())!.store).toBe(first);
    expect(first.getState().session.kind).toBe('open');

    accounts.getState().actions.addAccount();
    await signInShown(accounts, 'second');
    await accounts.getState().actions.signOutAll();
    expect(servers.demo.sessions[0]!.commands.at(-1)).toBe('QUIT');
    expect(servers.second.sessions[1]!.commands.at(-1)).toBe('QUIT');
    const { entries, view } = accounts.getState();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.store.getState().session.kind).toBe('signedOut');
    expect(view).toEqual({ kind: 'account', id: entries[0]!.id });
  });

  it('the idle limit locks every account and forgets every password; activity counts for all', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const { accounts, servers } = twoUsers(30);
    disposeLater = accounts;
    const settle = async (work: Promise<unknown>) => {
      let done = false;
      void work.finally(() => (done = true));
      while (!done) await vi.advanceTimersByTimeAsync(5);
    };
    const shown = () => shownEntry(accounts.getState())!.store;
    await settle(shown().getState().actions.loadServers());
    await settle(
      shown()
        .getState()
        .actions.signIn({ ...signInParams, username: 'demo' }),
    );
    const first = shown();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    accounts.getState().actions.addAccount();
    await settle(shown().getState().actions.loadServers());
    await settle(
      shown()
        .getState()
        .actions.signIn({ ...signInParams, username: 'second' }),
    );
    const second = shown();
    // Activity in the tab keeps the first account open too (its limit would pass at 30 minutes).
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    accounts.getState().actions.noteActivity();
    await vi.advanceTimersByTimeAsync(29 * 60_000);
    expect(first.getState().session.kind).toBe('open');
    expect(second.getState().session.kind).toBe('open');
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.advanceTimersByTimeAsync(10);
    for (const store of [first, second]) {
      expect(store.getState().session.kind).toBe('locked');
      expect(JSON.stringify(store.getState().session)).not.toContain(signInParams.password);
    }
    expect(servers.demo.sessions[0]!.commands.at(-1)).toBe('QUIT');
    expect(servers.second.sessions[0]!.commands.at(-1)).toBe('QUIT');
    // Each unlocks on its own: the first with its password, the second still locked.
    await settle(first.getState().actions.unlock('again'));
    expect(first.getState().session.kind).toBe('open');
    expect(second.getState().session.kind).toBe('locked');
  });

  it('a preference changed in one account is every account’s', async () => {
    const { accounts } = twoUsers();
    disposeLater = accounts;
    await signInShown(accounts, 'demo');
    accounts.getState().actions.addAccount();
    const [first, second] = accounts.getState().entries.map((entry) => entry.store);
    first!.getState().actions.setTheme('dark');
    expect(second!.getState().settings.theme).toBe('dark');
  });

  it('a shared computer’s cleanup waits until no other account is signed in', async () => {
    const { accounts, forgetDevice } = twoUsers();
    disposeLater = accounts;
    await signInShown(accounts, 'demo');
    accounts.getState().actions.addAccount();
    const shared = await signInShown(accounts, 'second', true);
    forgetDevice.mockClear();
    await shared.getState().actions.signOut();
    expect(forgetDevice).not.toHaveBeenCalled();
    await accounts.getState().actions.signOutAll();
    expect(forgetDevice).toHaveBeenCalledTimes(1);
  });
});
