import { Pop3ClosedError, Pop3ServerError } from '@webpop/pop3';
import { describe, expect, it, vi } from 'vitest';
import { memoryCache } from '../src/mailstore/mail-cache.js';
import type { AppState } from '../src/store/app-state.js';
import { selectAccount, visibleRows } from '../src/store/selectors.js';
import { message, setup, signInParams, threeMessages } from './support/app.js';

/** The session's kind, with the stage while signing in: what a status line would show. */
function phase(state: AppState): string {
  const { session } = state;
  return 'stage' in session ? `${session.kind}:${session.stage}` : session.kind;
}

describe('signing in', () => {
  it('walks signedOut → connecting → authenticating → ready and lists newest first from TOP headers', async () => {
    const { store, actions, server } = setup();
    const phases = [phase(store.getState())];
    store.subscribe((state) => {
      if (phases.at(-1) !== phase(state)) phases.push(phase(state));
    });
    await actions.signIn(signInParams);

    expect(phases).toEqual(['signedOut', 'signingIn:connecting', 'signingIn:authenticating', 'open']);
    const client = server.sessions[0]!;
    expect(client.commands).toEqual(['STAT', 'LIST', 'UIDL', 'TOP 3 0', 'TOP 2 0', 'TOP 1 0']);

    const state = store.getState();
    expect(state.listing).toEqual({ phase: 'done', done: 3, total: 3 });
    expect(selectAccount(state)).toMatchObject({
      username: 'demo',
      server: 'Demo mailbox',
      encrypted: false,
    });
    const rows = visibleRows(state.rows, '', 'date', true);
    expect(rows.map((row) => row.subject)).toEqual(['Third', 'Привет', 'First']);
    expect(rows[0]).toMatchObject({
      number: 3,
      uid: 'uid-3',
      from: { name: 'Bob B.', address: 'bob@example.org' },
      status: 'loaded',
      read: false,
      deleted: false,
    });
    expect(rows[0]!.date).toBe(Date.UTC(2025, 10, 12, 9));
    expect(rows[1]!.from).toEqual({ name: 'Ivan', address: 'ivan@example.ru' });
  });

  it('keeps the password out of the state and out of storage', async () => {
    const { store, actions, settings } = setup();
    await actions.signIn(signInParams);
    const { actions: _actions, ...state } = store.getState();
    expect(JSON.stringify(state)).not.toContain(signInParams.password);
    expect(JSON.stringify(settings.load())).not.toContain(signInParams.password);
  });

  it('remembers the login method that worked for the account and tries it first next time', async () => {
    const { actions, server, settings } = setup();
    await actions.signIn(signInParams);
    expect(server.logins[0]!.preferredMethod).toBeUndefined();
    expect(settings.load().loginMethods).toEqual({ 'server:demo|demo': 'user' });

    await actions.signOut();
    await actions.signIn(signInParams);
    expect(server.logins[1]!.preferredMethod).toBe('user');
    // A method the user chose is theirs: nothing remembered is put in front of it.
    await actions.signOut();
    await actions.signIn({ ...signInParams, method: 'apop' });
    expect(server.logins[2]!.preferredMethod).toBeUndefined();
  });

  it('maps a refused login to words, with the server text', async () => {
    const { store, actions, server } = setup();
    server.failWith = new Pop3ServerError('PASS', 'Authentication failed', 'AUTH', 'login');
    await actions.signIn(signInParams);
    const state = store.getState();
    expect(selectAccount(state)).toBeNull();
    expect(state.session).toEqual({
      kind: 'signInFailed',
      error: { key: 'error.auth', detail: { source: 'server', text: '[AUTH] Authentication failed' } },
    });
  });

  it('a second sign-in fetches TOP only for UIDLs it has not seen (header cache)', async () => {
    const cache = memoryCache();
    const first = setup(threeMessages(), { cache });
    await first.actions.signIn(signInParams);
    await first.actions.signOut();
    expect(first.server.sessions[0]!.commands.at(-1)).toBe('QUIT');

    first.maildrop.deliver(
      message('uid-4', 'Fourth', 'Dan <dan@example.org>', 'Thu, 13 Nov 2025 09:00:00 +0000'),
    );
    await first.actions.signIn(signInParams);
    const second = first.server.sessions[1]!;
    expect(second.commands.filter((command) => command.startsWith('TOP'))).toEqual(['TOP 4 0']);
    const rows = visibleRows(first.store.getState().rows, '', 'date', true);
    expect(rows.map((row) => row.subject)).toEqual(['Fourth', 'Third', 'Привет', 'First']);
    expect(rows.every((row) => row.status === 'loaded')).toBe(true);
  });
});

describe('dropped sessions and keepalive', () => {
  it('reports a drop and reconnects with the password kept in memory', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    server.sessions[0]!.drop(new Pop3ClosedError('the server closed the connection'));
    let state = store.getState();
    expect(state.session).toMatchObject({ kind: 'broken', why: 'dropped', error: { key: 'error.closed' } });
    expect(state.rows).toHaveLength(3); // the list stays on screen

    await actions.reconnect();
    state = store.getState();
    expect(state.session.kind).toBe('open');
    expect(server.logins).toHaveLength(2);
    expect(server.logins[1]!.password).toBe(signInParams.password);
  });

  it('a message clicked while reconnecting is selected at once and opened when the list is back', async () => {
    let release: () => void = () => {};
    let gated = false;
    const connections: Array<Promise<void>> = [];
    const { store, actions, server } = setup(threeMessages(), {
      deps: {
        connect: async (params, hooks, signal) => {
          if (gated) {
            const gate = new Promise<void>((resolve) => (release = resolve));
            connections.push(gate);
            await gate;
          }
          return server.connect(params, hooks, signal);
        },
      },
    });
    await actions.signIn(signInParams);
    server.sessions[0]!.drop(new Pop3ClosedError('the server closed the connection'));
    gated = true;
    const reconnecting = actions.reconnect();
    await vi.waitFor(() => expect(connections).toHaveLength(1));
    expect(store.getState().session).toMatchObject({ kind: 'reopening', why: 'reconnect' });

    await actions.openMessage(2);
    expect(store.getState().selected).toBe(2);
    expect(store.getState().open).toBeNull();

    release();
    await reconnecting;
    await vi.waitFor(() => expect(store.getState().open).toMatchObject({ uid: 'uid-2', kind: 'ready' }));
    expect(server.sessions[1]!.commands).toContain('RETR 2');
  });

  it('a drop forgets the deletion marks, says so, and the next listing finds those messages still there', async () => {
    const { store, actions, server, maildrop } = setup();
    await actions.signIn(signInParams);
    await actions.deleteMessage(2);
    expect(store.getState().rows[1]!.deleted).toBe(true);
    server.sessions[0]!.drop();
    let state = store.getState();
    expect(state.session).toMatchObject({ kind: 'broken', lostDeletions: 1 });
    expect(state.rows.some((row) => row.deleted)).toBe(false);
    expect(maildrop.messages).toHaveLength(3);

    await actions.reconnect();
    state = store.getState();
    expect(state.session.kind).toBe('open'); // no lost deletions any more
    expect(state.notice).toMatchObject({
      key: 'list.noNewMessages',
      tone: 'warning',
      extras: [{ key: 'delete.notCommitted', params: { count: 1 } }],
    });
  });

  it('a Refresh whose QUIT fails reports the marked messages still on the server', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    await actions.deleteMessage(1);
    server.sessions[0]!.failQuit();
    await actions.refresh();
    const state = store.getState();
    expect(state.session.kind).toBe('open');
    expect(state.rows.map((row) => row.deleted)).toEqual([false, false, false]);
    expect(state.notice).toMatchObject({
      tone: 'warning',
      extras: [{ key: 'delete.notCommitted', params: { count: 1 } }],
    });
  });

  it('signing out whose QUIT fails says the marked messages were not deleted', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    await actions.deleteMessage(1);
    await actions.deleteMessage(2);
    server.sessions[0]!.failQuit();
    await actions.signOut();
    expect(store.getState()).toMatchObject({
      session: { kind: 'signedOut' },
      notice: { key: 'delete.notCommitted', params: { count: 2 }, tone: 'warning' },
    });
  });

  it('a drop during RETR leaves an error with the bytes received, and the message unread', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    const client = server.sessions[0]!;
    client.holdRetr = new Promise(() => {});
    const opening = actions.openMessage(3);
    await vi.waitFor(() => expect(store.getState().open?.kind).toBe('loading'));
    client.drop();
    await opening;
    const state = store.getState();
    expect(state.session.kind).toBe('broken');
    const open = state.open;
    expect(open).toMatchObject({ number: 3, kind: 'failed', error: { key: 'error.closed' } });
    expect(open?.kind === 'failed' && open.received).toBeGreaterThan(0);
    expect(state.rows[2]!.read).toBe(false);
  });

  it('sends NOOP only after the session has been idle for the keepalive interval', async () => {
    let time = 1_000_000;
    const { actions, server } = setup(threeMessages(), { deps: { keepaliveMs: 60_000, now: () => time } });
    await actions.signIn(signInParams);
    const client = server.sessions[0]!;
    await actions.keepalive();
    expect(client.commands).not.toContain('NOOP');
    time += 61_000;
    await actions.keepalive();
    expect(client.commands.at(-1)).toBe('NOOP');
    actions.dispose();
  });

  it('a failing NOOP is a drop', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    const client = server.sessions[0]!;
    client.noop = async () => {
      client.state = 'ended';
      throw new Pop3ClosedError('the server closed the connection while waiting for the reply to NOOP');
    };
    await actions.keepalive(true);
    expect(store.getState().session).toMatchObject({ kind: 'broken', why: 'dropped' });
  });

  it('signing out sends QUIT and forgets the mailbox', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    await actions.signOut();
    expect(server.sessions[0]!.commands.at(-1)).toBe('QUIT');
    expect(store.getState()).toMatchObject({ session: { kind: 'signedOut' }, rows: [], open: null });
    await actions.reconnect(); // no credentials any more
    expect(server.logins).toHaveLength(1);
  });
});
