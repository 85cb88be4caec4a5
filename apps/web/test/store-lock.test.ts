import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { Pop3ClosedError, Pop3ServerError } from '@webpop/pop3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MailStore } from '../src/mailstore/index.js';
import { defaultSessionPolicy, type ServerList } from '../src/session/types.js';
import type { AppState } from '../src/store/app-state.js';
import { setup, signInParams } from './support/app.js';

const MINUTE = 60_000;

/** The state as JSON, without the actions: what a password must never be part of. */
const stateText = (state: AppState) => {
  const { actions: _actions, ...rest } = state;
  return JSON.stringify(rest, (_key, value: unknown) => (value instanceof Map ? [...value] : value));
};

function servers(idleMinutes: number, sharedComputerDefault = false): () => Promise<ServerList> {
  return async () => ({
    servers: [{ id: 'demo', label: 'Demo mailbox', security: 'none' }],
    allowAnyTarget: false,
    sessionPolicy: { idleMinutes, sharedComputerDefault },
  });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs `work` while the fake clock moves in small steps (the listing's batches wait on timers). */
async function settled<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const result = work.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(5);
  return result;
}

async function signedIn(idleMinutes = 30) {
  const app = setup(undefined, {
    deps: {
      loadServers: servers(idleMinutes),
      keepaliveMs: 10 * MINUTE,
      // These tests count the one session's logins and commands: no new-mail checks between.
      newMailDefaults: { check: false, minutes: 5, notify: false },
    },
  });
  await settled(app.actions.loadServers());
  await settled(app.actions.signIn(signInParams));
  expect(app.store.getState().session.kind).toBe('open');
  return app;
}

describe('the idle limit', () => {
  it('locks after the limit without activity: QUIT, the password and the mailbox forgotten', async () => {
    const { store, actions, server } = await signedIn(30);
    await vi.advanceTimersByTimeAsync(30 * MINUTE - 1000);
    expect(store.getState().session.kind).toBe('open');
    await vi.advanceTimersByTimeAsync(1000);
    const state = store.getState();
    expect(state.session).toMatchObject({
      kind: 'locked',
      account: { username: 'demo' },
      unlock: { kind: 'waiting' },
    });
    expect(server.sessions[0]!.commands.at(-1)).toBe('QUIT');
    expect(state.rows).toEqual([]);
    expect(stateText(state)).not.toContain(signInParams.password);
    // The log is forgotten too, though its lines collected outside the state with the panel closed.
    actions.toggleLog(true);
    expect([...store.getState().log].map((line) => line.text)).not.toContain('STAT');
    expect(stateText(store.getState())).not.toContain(signInParams.password);
    // Nothing signs in again without the password: Refresh and Reconnect do nothing while locked.
    await actions.refresh();
    await actions.reconnect();
    expect(server.logins).toHaveLength(1);
  });

  it('counts from the latest activity, and the app’s own NOOPs are not activity', async () => {
    const { store, actions, server } = await signedIn(30);
    await vi.advanceTimersByTimeAsync(20 * MINUTE);
    expect(server.sessions[0]!.commands).toContain('NOOP');
    actions.noteActivity();
    await vi.advanceTimersByTimeAsync(29 * MINUTE);
    expect(store.getState().session.kind).toBe('open');
    await vi.advanceTimersByTimeAsync(1 * MINUTE);
    expect(store.getState().session.kind).toBe('locked');
  });

  it('unlocks with the password typed again; a refused one leaves it locked with the reason', async () => {
    const { store, actions, server } = await signedIn(30);
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(store.getState().session.kind).toBe('locked');

    server.failWith = new Pop3ServerError('PASS', 'Authentication failed', 'AUTH', 'login');
    await settled(actions.unlock('wrong'));
    expect(store.getState().session).toMatchObject({
      kind: 'locked',
      unlock: { kind: 'failed', error: { key: 'error.auth' } },
    });
    expect(server.logins.at(-1)).toMatchObject({ username: 'demo', password: 'wrong' });

    server.failWith = undefined;
    await settled(actions.unlock(signInParams.password));
    const state = store.getState();
    expect(state.session).toMatchObject({ kind: 'open', account: { username: 'demo' } });
    expect(state.rows).toHaveLength(3);
    expect(server.logins.at(-1)).toMatchObject({ server: signInParams.server, method: 'auto' });
    // The limit counts again from the unlock.
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(store.getState().session.kind).toBe('locked');
  });

  it('Reconnect after the limit asks for the password, even when the timer came late', async () => {
    let clock = 1_000_000;
    const app = setup(undefined, { deps: { loadServers: servers(30), now: () => clock } });
    await settled(app.actions.loadServers());
    await settled(app.actions.signIn(signInParams));
    app.server.sessions[0]!.drop(new Pop3ClosedError('the bridge closed the idle connection'));
    expect(app.store.getState().session.kind).toBe('broken');
    // A background tab's timer has not run yet; the clock says the limit has passed.
    clock += 31 * MINUTE;
    await settled(app.actions.reconnect());
    expect(app.store.getState().session.kind).toBe('locked');
    expect(app.server.logins).toHaveLength(1);
  });

  it('Reconnect within the limit signs in again as before', async () => {
    const { store, actions, server } = await signedIn(30);
    server.sessions[0]!.drop(new Pop3ClosedError('the server closed the connection'));
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    await settled(actions.reconnect());
    expect(store.getState().session.kind).toBe('open');
    expect(server.logins).toHaveLength(2);
  });

  it('never locks with a limit of 0, and defaults to 30 minutes without the bridge’s word', async () => {
    const { store } = await signedIn(0);
    await vi.advanceTimersByTimeAsync(24 * 60 * MINUTE);
    expect(store.getState().session.kind).toBe('open');

    const plain = setup();
    expect(plain.store.getState().servers.policy).toEqual(defaultSessionPolicy);
    await settled(plain.actions.signIn(signInParams));
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(plain.store.getState().session.kind).toBe('locked');
  });

  it('Sign out from the Locked dialog goes to the sign-in page', async () => {
    const { store, actions } = await signedIn(30);
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    await settled(actions.signOut());
    expect(store.getState().session).toEqual({ kind: 'signedOut' });
    await settled(actions.unlock(signInParams.password));
    expect(store.getState().session).toEqual({ kind: 'signedOut' });
  });
});

describe('Sign out', () => {
  it('forgets everything of the session held in memory', async () => {
    const { store, actions } = await signedIn(30);
    await settled(actions.openMessage(3));
    actions.toggleLog(true);
    const before = store.getState();
    expect(before.open).not.toBeNull();
    expect(before.log.length).toBeGreaterThan(0);

    await settled(actions.signOut());
    const after = store.getState();
    expect(after.session).toEqual({ kind: 'signedOut' });
    expect(after.rows).toEqual([]);
    expect(after.open).toBeNull();
    expect(after.log.length).toBe(0);
    expect(after.logDropped).toBe(0);
    expect(after.selected).toBeNull();
    // What is not the session's stays: the server list, the preferences, the log panel open.
    expect(after.servers).toBe(before.servers);
    expect(after.settings).toBe(before.settings);
    expect(after.logOpen).toBe(true);
    expect(stateText(after)).not.toContain(signInParams.password);
  });
});

describe('a shared computer', () => {
  it('keeps nothing on the device: no mail store, no login method, preferences not written', async () => {
    const factory = new IDBFactory();
    const mailStore = MailStore.open({ factory });
    const forgetDevice = vi.fn(async () => {});
    const app = setup(undefined, { deps: { mailStore: () => mailStore, forgetDevice } });
    await settled(app.actions.signIn({ ...signInParams, sharedComputer: true }));
    expect(app.store.getState().session.kind).toBe('open');
    expect(app.store.getState().rows).toHaveLength(3);
    // The page's own traces go at the sign-in already (the service worker's caches).
    expect(forgetDevice).toHaveBeenCalledTimes(1);
    await settled(app.actions.openMessage(3));
    app.actions.setTheme('dark');
    expect(app.store.getState().settings.theme).toBe('dark');

    await settled(app.actions.signOut());
    expect(forgetDevice).toHaveBeenCalledTimes(2);
    const db = await mailStore;
    expect(await db.accounts()).toEqual([]);
    expect(await db.messages('server:demo|demo')).toEqual([]);
    // Nothing written to the settings storage, and what the session changed is undone in memory.
    expect(app.settings.load()).toEqual({ language: 'en' });
    expect(app.store.getState().settings.theme).toBe('system');
    expect(app.store.getState().settings.loginMethods).toEqual({});

    // The next person's ordinary sign-in keeps its mail as before.
    await settled(app.actions.signIn(signInParams));
    expect((await db.accounts()).map((account) => account.key)).toEqual(['server:demo|demo']);
    expect(app.settings.load().loginMethods).toEqual({ 'server:demo|demo': 'user' });
    expect(forgetDevice).toHaveBeenCalledTimes(2);
  });

  it('takes its default from the bridge', async () => {
    const app = setup(undefined, { deps: { loadServers: servers(30, true) } });
    await settled(app.actions.loadServers());
    expect(app.store.getState().servers.policy).toEqual({ idleMinutes: 30, sharedComputerDefault: true });
  });
});
