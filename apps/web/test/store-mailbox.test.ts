import { Pop3ServerError } from '@webpop/pop3';
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../src/mailstore/mail-cache.js';
import type { AppState } from '../src/store/app-state.js';
import { selectAccount } from '../src/store/selectors.js';
import { message, setup, signInParams, threeMessages } from './support/app.js';

/** The session's kind, with the stage while signing in: what a status line would show. */
function phase(state: AppState): string {
  const { session } = state;
  return 'stage' in session ? `${session.kind}:${session.stage}` : session.kind;
}

describe('the mailbox: rows and read marks', () => {
  it('lists with one fetchEach over every message without cached headers, newest first', async () => {
    const many = Array.from({ length: 2500 }, (_, index) =>
      message(
        `uid-${index + 1}`,
        `Message ${index + 1}`,
        'A <a@example.org>',
        'Mon, 10 Nov 2025 09:00:00 +0000',
      ),
    );
    const { store, actions, server } = setup(many);
    await actions.signIn(signInParams);
    const calls = server.sessions[0]!.fetchEachCalls;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual(Array.from({ length: 2500 }, (_, index) => 2500 - index));
    expect(store.getState().listing).toEqual({ phase: 'done', done: 2500, total: 2500 });
    expect(store.getState().rows.every((row) => row.status === 'loaded')).toBe(true);
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
    expect(store.getState().session.kind).toBe('open');
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

    const phases: string[] = [];
    store.subscribe((state) => {
      if (phases.at(-1) !== phase(state)) phases.push(phase(state));
    });
    await actions.refresh();

    expect(server.sessions[0]!.commands.at(-1)).toBe('QUIT');
    expect(phases).toEqual(['reopening:connecting', 'reopening:authenticating', 'open']);
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
    expect(selectAccount(state)).not.toBeNull();
  });

  it('Refresh keeps an open message open under its new number', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    await actions.openMessage(3);
    await actions.deleteMessage(1);
    await actions.refresh();
    expect(store.getState().open).toMatchObject({ number: 2, uid: 'uid-3', kind: 'ready' });
    expect(store.getState().notice).toMatchObject({ key: 'list.noNewMessages' });
  });
});
