import { Pop3ClosedError, Pop3ServerError } from '@webpop/pop3';
import { describe, expect, it, vi } from 'vitest';
import { memoryCache } from '../src/cache/mail-cache.js';
import { visibleRows, type SessionStatus } from '../src/store/app-store.js';
import { message, setup, signInParams, threeMessages } from './support/app.js';

describe('signing in', () => {
  it('walks signedOut → connecting → authenticating → ready and lists newest first from TOP headers', async () => {
    const { store, actions, server } = setup();
    const statuses: SessionStatus[] = [store.getState().status];
    store.subscribe((state) => {
      if (statuses.at(-1) !== state.status) statuses.push(state.status);
    });
    await actions.signIn(signInParams);

    expect(statuses).toEqual(['signedOut', 'connecting', 'authenticating', 'ready']);
    const client = server.sessions[0]!;
    expect(client.commands).toEqual(['STAT', 'LIST', 'UIDL', 'TOP 3 0', 'TOP 2 0', 'TOP 1 0']);

    const state = store.getState();
    expect(state.listing).toEqual({ phase: 'done', done: 3, total: 3 });
    expect(state.account).toMatchObject({ username: 'demo', server: 'Demo mailbox', encrypted: false });
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

  it('shows rows before their headers arrive, then fills them in as TOP replies come', async () => {
    const { store, actions } = setup();
    const snapshots: string[][] = [];
    store.subscribe((state) => {
      if (state.rows.length > 0) snapshots.push(state.rows.map((row) => row.status));
    });
    await actions.signIn(signInParams);
    expect(snapshots[0]).toEqual(['pending', 'pending', 'pending']);
    expect(snapshots.at(-1)).toEqual(['loaded', 'loaded', 'loaded']);
  });

  it('keeps the password out of the state and out of storage', async () => {
    const { store, actions, settings } = setup();
    await actions.signIn(signInParams);
    const { actions: _actions, ...state } = store.getState();
    expect(JSON.stringify(state)).not.toContain(signInParams.password);
    expect(JSON.stringify(settings.load())).not.toContain(signInParams.password);
  });

  it('maps a refused login to words, with the server text', async () => {
    const { store, actions, server } = setup();
    server.failWith = new Pop3ServerError('PASS', 'Authentication failed', 'AUTH', 'login');
    await actions.signIn(signInParams);
    const state = store.getState();
    expect(state.status).toBe('error');
    expect(state.errorContext).toBe('signin');
    expect(state.account).toBeNull();
    expect(state.error).toEqual({
      key: 'error.auth',
      detail: { source: 'server', text: '[AUTH] Authentication failed' },
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

  it('keeps read marks locally by UIDL', async () => {
    const cache = memoryCache();
    const { store, actions } = setup(threeMessages(), { cache });
    await actions.signIn(signInParams);
    await actions.openMessage(2);
    expect(store.getState().rows[1]!.read).toBe(true);
    await actions.signOut();
    await actions.signIn(signInParams);
    expect(store.getState().rows.map((row) => row.read)).toEqual([false, true, false]);
    expect(await cache.readMarks('server:demo|demo')).toEqual(new Set(['uid-2']));
  });
});

describe('reading', () => {
  it('RETRs with progress, parses, and marks read', async () => {
    const parse = vi.fn(async (bytes: Uint8Array) => {
      const { fakeParse } = await import('./support/app.js');
      return fakeParse(bytes);
    });
    const { store, actions, server } = setup(threeMessages(), { deps: { parseMessage: parse } });
    await actions.signIn(signInParams);
    const progress: number[] = [];
    store.subscribe((state) => {
      if (state.open?.status === 'loading') progress.push(state.open.received);
    });
    await actions.openMessage(3);
    const open = store.getState().open!;
    expect(open.status).toBe('ready');
    expect(open.message?.subject).toBe('Third');
    expect(open.received).toBe(open.size);
    expect(parse).toHaveBeenCalledOnce();
    expect(server.sessions[0]!.commands.at(-1)).toBe('RETR 3');
    expect(store.getState().selected).toBe(3);
  });

  it('cancels a download', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    const client = server.sessions[0]!;
    client.holdRetr = new Promise(() => {});
    const opening = actions.openMessage(1);
    await Promise.resolve();
    expect(store.getState().open?.status).toBe('loading');
    actions.cancelOpen();
    await opening;
    expect(store.getState().open?.status).toBe('cancelled');
    expect(store.getState().status).toBe('ready');
  });
});

describe('delete, undo, refresh', () => {
  it('DELE greys the row; RSET (Undo) brings it back', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    await actions.deleteMessage(2);
    expect(server.sessions[0]!.commands.at(-1)).toBe('DELE 2');
    expect(store.getState().rows.map((row) => row.deleted)).toEqual([false, true, false]);
    expect(store.getState().notice).toMatchObject({ key: 'delete.marked', params: { count: 1 } });

    await actions.deleteMessage(2); // already marked: nothing sent
    expect(server.sessions[0]!.commands.filter((command) => command === 'DELE 2')).toHaveLength(1);

    await actions.undoDeletes();
    expect(server.sessions[0]!.commands.at(-1)).toBe('RSET');
    expect(store.getState().rows.every((row) => !row.deleted)).toBe(true);
    expect(store.getState().notice?.key).toBe('delete.undone');
  });

  it('a refused DELE is a notice, not a drop', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    const client = server.sessions[0]!;
    client.dele = async (number) => {
      throw new Pop3ServerError(`DELE ${number}`, 'permission denied', undefined, 'transaction');
    };
    await actions.deleteMessage(1);
    expect(store.getState().status).toBe('ready');
    expect(store.getState().notice).toMatchObject({
      key: 'delete.failed',
      tone: 'error',
      error: { key: 'error.command', params: { command: 'DELE 1' } },
    });
  });

  it('Refresh: QUIT commits deletions, a new session lists, new UIDLs are marked new', async () => {
    const { store, actions, server, maildrop } = setup();
    await actions.signIn(signInParams);
    await actions.openMessage(1);
    await actions.deleteMessage(1);
    maildrop.deliver(
      message('uid-9', 'Brand new', 'Eve <eve@example.org>', 'Fri, 14 Nov 2025 09:00:00 +0000'),
    );

    const statuses: SessionStatus[] = [];
    store.subscribe((state) => {
      if (statuses.at(-1) !== state.status) statuses.push(state.status);
    });
    await actions.refresh();

    expect(server.sessions[0]!.commands.at(-1)).toBe('QUIT');
    expect(statuses).toEqual(['connecting', 'authenticating', 'ready']);
    const second = server.sessions[1]!;
    // Only the new message needs its headers: the others come from the cache.
    expect(second.commands.filter((command) => command.startsWith('TOP'))).toEqual(['TOP 3 0']);
    const state = store.getState();
    expect(state.rows.map((row) => [row.number, row.subject, row.isNew])).toEqual([
      [1, 'Привет', false],
      [2, 'Third', false],
      [3, 'Brand new', true],
    ]);
    expect(state.notice).toMatchObject({
      key: 'list.newMessages',
      params: { count: 1 },
      extras: [{ key: 'list.removedMessages', params: { count: 1 } }],
    });
    expect(state.open).toBeNull(); // the open message was deleted on the server
    expect(state.account).not.toBeNull();
  });

  it('Refresh keeps an open message open under its new number', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    await actions.openMessage(3);
    await actions.deleteMessage(1);
    await actions.refresh();
    expect(store.getState().open).toMatchObject({ number: 2, uid: 'uid-3', status: 'ready' });
    expect(store.getState().notice).toMatchObject({ key: 'list.noNewMessages' });
  });
});

describe('dropped sessions and keepalive', () => {
  it('reports a drop and reconnects with the password kept in memory', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    server.sessions[0]!.drop(new Pop3ClosedError('the server closed the connection'));
    let state = store.getState();
    expect(state.status).toBe('error');
    expect(state.errorContext).toBe('dropped');
    expect(state.error?.key).toBe('error.closed');
    expect(state.rows).toHaveLength(3); // the list stays on screen

    await actions.reconnect();
    state = store.getState();
    expect(state.status).toBe('ready');
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
    expect(store.getState().busy).toBe('reconnect');

    await actions.openMessage(2);
    expect(store.getState().selected).toBe(2);
    expect(store.getState().open).toBeNull();

    release();
    await reconnecting;
    await vi.waitFor(() => expect(store.getState().open).toMatchObject({ uid: 'uid-2', status: 'ready' }));
    expect(server.sessions[1]!.commands).toContain('RETR 2');
  });

  it('a drop forgets the deletion marks, says so, and the next listing finds those messages still there', async () => {
    const { store, actions, server, maildrop } = setup();
    await actions.signIn(signInParams);
    await actions.deleteMessage(2);
    expect(store.getState().rows[1]!.deleted).toBe(true);
    server.sessions[0]!.drop();
    let state = store.getState();
    expect(state.status).toBe('error');
    expect(state.lostDeletes).toBe(1);
    expect(state.rows.some((row) => row.deleted)).toBe(false);
    expect(maildrop.messages).toHaveLength(3);

    await actions.reconnect();
    state = store.getState();
    expect(state.lostDeletes).toBe(0);
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
    const client = server.sessions[0]!;
    client.quit = async () => {
      client.state = 'ended';
      throw new Pop3ClosedError('the server closed the connection while waiting for the reply to QUIT');
    };
    await actions.refresh();
    const state = store.getState();
    expect(state.status).toBe('ready');
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
    const client = server.sessions[0]!;
    client.quit = async () => {
      client.state = 'ended';
      throw new Pop3ClosedError('the server closed the connection while waiting for the reply to QUIT');
    };
    await actions.signOut();
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      notice: { key: 'delete.notCommitted', params: { count: 2 }, tone: 'warning' },
    });
  });

  it('a drop during RETR leaves an error with the bytes received, and the message unread', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    const client = server.sessions[0]!;
    client.holdRetr = new Promise(() => {});
    const opening = actions.openMessage(3);
    await vi.waitFor(() => expect(store.getState().open?.status).toBe('loading'));
    client.drop();
    await opening;
    const state = store.getState();
    expect(state.status).toBe('error');
    expect(state.open).toMatchObject({ number: 3, status: 'error', message: undefined, raw: undefined });
    expect(state.open!.received).toBeGreaterThan(0);
    expect(state.open!.error?.key).toBe('error.closed');
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
    expect(store.getState().status).toBe('error');
    expect(store.getState().errorContext).toBe('dropped');
  });

  it('signing out sends QUIT and forgets the mailbox', async () => {
    const { store, actions, server } = setup();
    await actions.signIn(signInParams);
    await actions.signOut();
    expect(server.sessions[0]!.commands.at(-1)).toBe('QUIT');
    expect(store.getState()).toMatchObject({ status: 'signedOut', account: null, rows: [], open: null });
    await actions.reconnect(); // no credentials any more
    expect(server.logins).toHaveLength(1);
  });
});

describe('the protocol log', () => {
  it('collects the dialogue', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    actions.toggleLog(true);
    const lines = store.getState().log.map((line) => `${line.direction}: ${line.text}`);
    expect(lines).toContain('client: STAT');
    expect(lines).toContain('client: TOP 3 0');
    expect(lines.join('\n')).not.toContain(signInParams.password);
  });
});

describe('sorting and filtering', () => {
  it('sorts by date, sender, subject and size; filters over sender and subject', async () => {
    const { store, actions } = setup([
      message('a', 'Re: banana', 'Zed <z@example.org>', 'Mon, 10 Nov 2025 09:00:00 +0000', 'x'.repeat(10)),
      message('b', 'apple', 'amy <amy@example.org>', 'Wed, 12 Nov 2025 09:00:00 +0000', 'x'.repeat(500)),
      message('c', 'Cherry', 'Bob <bob@example.org>', 'Tue, 11 Nov 2025 09:00:00 +0000', 'x'.repeat(100)),
    ]);
    await actions.signIn(signInParams);
    const rows = store.getState().rows;
    const subjects = (sort: Parameters<typeof visibleRows>[2], descending: boolean, filter = '') =>
      visibleRows(rows, filter, sort, descending).map((row) => row.subject);
    expect(subjects('date', true)).toEqual(['apple', 'Cherry', 'Re: banana']);
    expect(subjects('date', false)).toEqual(['Re: banana', 'Cherry', 'apple']);
    expect(subjects('sender', false)).toEqual(['apple', 'Cherry', 'Re: banana']);
    expect(subjects('subject', false)).toEqual(['apple', 'Re: banana', 'Cherry']);
    expect(subjects('size', true)).toEqual(['apple', 'Cherry', 'Re: banana']);
    expect(subjects('date', true, 'BOB')).toEqual(['Cherry']);
    expect(subjects('date', true, 'an')).toEqual(['Re: banana']);
  });

  it('sorts 10,000 rows quickly', () => {
    const rows = Array.from({ length: 10_000 }, (_, index) => ({
      number: index + 1,
      uid: String(index),
      size: (index * 7919) % 100_000,
      from: { name: `Sender ${index % 97}`, address: `s${index}@example.org` },
      subject: `Subject ${(index * 31) % 10_000}`,
      date: Date.UTC(2025, 0, 1) + ((index * 104729) % 1_000_000) * 1000,
      status: 'loaded' as const,
      read: false,
      deleted: false,
      isNew: false,
      search: `sender ${index % 97} subject ${index}`,
    }));
    const started = performance.now();
    for (const sort of ['date', 'sender', 'subject', 'size'] as const) visibleRows(rows, '', sort, true);
    visibleRows(rows, 'sender 5', 'date', true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
