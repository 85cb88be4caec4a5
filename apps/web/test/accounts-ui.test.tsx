// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountsShell } from '../src/accounts/AccountsShell.js';
import { giveLayout } from './support/render-app.js';
import { twoUsers } from './support/two-accounts.js';

beforeAll(giveLayout);
afterEach(() => cleanup());

async function signInAs(user: ReturnType<typeof userEvent.setup>, username: string) {
  const server = await screen.findByRole('combobox', { name: 'Server' });
  await waitFor(() => expect(server).toHaveProperty('value', 'demo'));
  await user.type(screen.getByRole('textbox', { name: 'Username' }), username);
  await user.type(screen.getByLabelText('Password'), 'secret');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  return screen.findByRole('listbox', { name: 'Messages' }, { timeout: 10_000 });
}

/** The switcher (found anew: the account shown is rendered afresh on each switch). */
const nav = () => screen.getByRole('navigation', { name: 'Accounts' });

// Each test signs in two accounts through the whole app: all three overran the 30 s default timeout at a
// load average of 27 on 2 cores (a few seconds each on a quiet machine).
describe('the account switcher and All inboxes', { timeout: 240_000 }, () => {
  it('signs in two accounts, merges their inboxes, and acts on a row in its own account', async () => {
    const { accounts, servers } = twoUsers();
    const user = userEvent.setup();
    render(<AccountsShell accounts={accounts} />);
    await signInAs(user, 'demo');
    // One account: its own Sign out, no "all".
    expect(screen.getByRole('button', { name: 'Sign out' }).textContent).toBe('Sign out');
    await user.click(within(nav()).getByRole('button', { name: 'Add account' }));
    await signInAs(user, 'second');
    expect(
      within(nav())
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['All inboxes', 'demo on Demo mailbox', 'second on Demo mailbox']);
    expect(screen.getByRole('button', { name: 'Sign out' }).textContent).toBe('Sign out of this account');
    expect(within(nav()).getByRole('button', { name: 'Sign out of all accounts' })).toBeTruthy();

    await user.click(within(nav()).getByRole('link', { name: 'All inboxes' }));
    await screen.findByRole('listbox', { name: 'Messages' });
    const list = screen.getByRole('listbox', { name: 'Messages' });
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(3));
    // Newest first across both accounts, each row saying whose it is.
    expect(
      within(list)
        .getAllByRole('option')
        .map((row) => row.getAttribute('aria-label')),
    ).toEqual([
      'second on Demo mailbox: Bob — Also second',
      'second on Demo mailbox: Bob — For second',
      'demo on Demo mailbox: Alice — For demo',
    ]);
    await user.type(screen.getByRole('searchbox', { name: 'Search all inboxes' }), 'demo');
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(1));
    await user.clear(screen.getByRole('searchbox', { name: 'Search all inboxes' }));

    await user.click(within(list).getByRole('option', { name: /Also second/ }));
    const reader = screen.getByRole('region', { name: 'Message' });
    await user.click(await within(reader).findByRole('button', { name: 'Delete' }));
    // The DELE went to the second account's session, not the first's.
    await waitFor(() => expect(servers.second.sessions[0]!.commands).toContain('DELE 2'));
    expect(servers.demo.sessions[0]!.commands.some((command) => command.startsWith('DELE'))).toBe(false);

    await user.click(within(nav()).getByRole('link', { name: 'demo on Demo mailbox' }));
    const demoList = await screen.findByRole('listbox', { name: 'Messages' });
    expect(within(demoList).getAllByRole('option')).toHaveLength(1);
    accounts.getState().actions.dispose();
  });

  it('counts every account’s unread mail in the title, checks all at once, and warns before leaving with deletions anywhere', async () => {
    const { accounts, servers } = twoUsers();
    const user = userEvent.setup();
    render(<AccountsShell accounts={accounts} />);
    await signInAs(user, 'demo');
    await waitFor(() => expect(document.title).toBe('(1) Inbox — webpop'));
    await user.click(within(nav()).getByRole('button', { name: 'Add account' }));
    await signInAs(user, 'second');
    // Whichever account is shown, the tab counts all of them.
    await waitFor(() => expect(document.title).toBe('(3) All inboxes — webpop'));

    // Deletions marked in the second account; the first is shown: leaving still asks.
    const secondList = screen.getByRole('listbox', { name: 'Messages' });
    await user.click(within(secondList).getAllByRole('option')[0]!);
    await user.click(screen.getAllByRole('button', { name: 'Delete' })[0]!);
    await user.click(within(nav()).getByRole('link', { name: 'demo on Demo mailbox' }));
    await screen.findByRole('listbox', { name: 'Messages' });
    const leaving = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leaving);
    expect(leaving.defaultPrevented).toBe(true);

    // "Check now" in All inboxes: each account's check, a new session each.
    await user.click(within(nav()).getByRole('link', { name: 'All inboxes' }));
    const before = { demo: servers.demo.sessions.length, second: servers.second.sessions.length };
    await user.click(screen.getByRole('button', { name: 'Check now' }));
    await waitFor(() => expect(servers.demo.sessions.length).toBe(before.demo + 1));
    // The second has a deletion marked (Headers only: QUIT would commit it): its check waits.
    expect(servers.second.sessions.length).toBe(before.second);
    accounts.getState().actions.dispose();
  });
});

describe('All inboxes has one account’s list’s selection and keys', { timeout: 240_000 }, () => {
  it('Ctrl-click across accounts, "N selected", s and # on each account’s own messages, j/x, and the ? help', async () => {
    const { accounts, servers } = twoUsers();
    const user = userEvent.setup();
    render(<AccountsShell accounts={accounts} />);
    await signInAs(user, 'demo');
    await user.click(within(nav()).getByRole('button', { name: 'Add account' }));
    await signInAs(user, 'second');
    await user.click(within(nav()).getByRole('link', { name: 'All inboxes' }));
    const list = await screen.findByRole('listbox', { name: 'Messages' });
    expect(list.getAttribute('aria-multiselectable')).toBe('true');
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(3));
    const option = (name: RegExp) => within(list).getByRole('option', { name });

    await user.click(option(/For demo/));
    await user.keyboard('{Control>}');
    await user.click(option(/Also second/));
    await user.keyboard('{/Control}');
    expect(screen.getByText('2 selected')).toBeTruthy();
    expect(option(/For second/).getAttribute('aria-selected')).toBe('false');

    await user.keyboard('s');
    expect(screen.getByRole('button', { name: 'Remove star' })).toBeTruthy();
    await user.keyboard('#');
    await waitFor(() => expect(servers.second.sessions[0]!.commands).toContain('DELE 2'));
    expect(servers.demo.sessions[0]!.commands).toContain('DELE 1');
    expect(servers.second.sessions[0]!.commands).not.toContain('DELE 1');

    // j moves (the next row alone), x takes it out of the selection again.
    list.focus();
    await user.keyboard('{Home}j');
    await waitFor(() => expect(option(/For second/).getAttribute('aria-selected')).toBe('true'));
    expect(list.getAttribute('aria-activedescendant')).toBe(option(/For second/).id);
    await user.keyboard('x');
    expect(option(/For second/).getAttribute('aria-selected')).toBe('false');

    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(help.textContent).toContain('star or remove the star');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).toBeNull();
    accounts.getState().actions.dispose();
  });
});
