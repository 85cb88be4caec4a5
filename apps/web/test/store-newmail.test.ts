import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { Pop3ServerError } from '@webpop/pop3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MailStore, type AccountSettings } from '../src/mailstore/index.js';
import type { NewMailNote, Notifier, NotifyPermission } from '../src/newmail/notifications.js';
import type { NewMailSettings } from '../src/newmail/settings.js';
import { accountKey } from '../src/session/types.js';
import { message, setup, signInParams, threeMessages } from './support/app.js';

const MINUTE = 60_000;
const key = accountKey(signInParams);

/** The page's Notification API as a recorder: what was shown, and whether the user is looking. */
class RecordingNotifier implements Notifier {
  granted: NotifyPermission = 'granted';
  looking = false;
  readonly shown: Array<{ note: NewMailNote; click: () => void }> = [];
  readonly requests: number[] = [];
  permission() {
    return this.granted;
  }
  async requestPermission() {
    this.requests.push(Date.now());
    return this.granted;
  }
  watching() {
    return this.looking;
  }
  show(note: NewMailNote, click: () => void) {
    this.shown.push({ note, click });
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => vi.useRealTimers());

/** Lets the fake clock run `ms` in steps small enough for the listing's batches. */
async function run(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 1000) await vi.advanceTimersByTimeAsync(Math.min(1000, left));
}

async function settled<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const result = work.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(5);
  return result;
}

/** A page signed in, with the account's new-mail settings in a mail store when given. */
async function signedIn(newMail?: NewMailSettings, notifier = new RecordingNotifier()) {
  let deps = {};
  if (newMail) {
    const mailStore = MailStore.open({ factory: new IDBFactory(), now: () => 1_000_000 });
    const store = await mailStore;
    await store.rememberAccount({ key, server: signInParams.server, username: signInParams.username });
    const settings: AccountSettings = {
      serverCopy: { kind: 'keep' },
      keepOnDevice: { kind: 'headers' },
      evictionAcknowledged: false,
      newMail,
    };
    await store.saveSettings(key, settings);
    deps = { mailStore: () => mailStore };
  }
  const app = setup(threeMessages(), { deps: { ...deps, notifier } });
  await settled(app.actions.signIn(signInParams));
  await run(1000);
  return { ...app, notifier };
}

const subjects = (rows: readonly { subject: string; isNew: boolean }[], onlyNew = false) =>
  rows.filter((row) => !onlyNew || row.isNew).map((row) => row.subject);

describe('checking for new mail', () => {
  it('shows a delivery by itself within the interval, marked new until opened; quiet when nothing is new', async () => {
    const { store, maildrop, server } = await signedIn();
    maildrop.deliver(
      message('uid-4', 'Fourth', 'Dana <dana@example.org>', 'Thu, 13 Nov 2025 09:00:00 +0000'),
    );
    await run(5 * MINUTE - 2000);
    expect(server.sessions).toHaveLength(1);
    await run(3000);
    expect(server.sessions).toHaveLength(2);
    expect(store.getState().session.kind).toBe('open');
    expect(subjects(store.getState().rows, true)).toEqual(['Fourth']);
    expect(store.getState().notice?.key).toBe('list.newMessages');
    store.getState().actions.dismissNotice();

    // Nothing new: no "No new messages." notice, and Fourth, not opened, is still new.
    await run(5 * MINUTE);
    expect(server.sessions).toHaveLength(3);
    expect(store.getState().notice).toBeNull();
    expect(subjects(store.getState().rows, true)).toEqual(['Fourth']);

    const fourth = store.getState().rows.find((row) => row.uid === 'uid-4')!;
    await settled(store.getState().actions.openMessage(fourth.number));
    expect(store.getState().rows.find((row) => row.uid === 'uid-4')).toMatchObject({
      read: true,
      isNew: false,
    });
    await run(5 * MINUTE);
    expect(server.sessions).toHaveLength(4);
    expect(subjects(store.getState().rows, true)).toEqual([]);
  });

  it('never checks sooner than the server CAPA LOGIN-DELAY', async () => {
    const app = setup(threeMessages());
    app.server.capa = ['USER', 'UIDL', 'LOGIN-DELAY 900'];
    await settled(app.actions.signIn(signInParams));
    await run(14 * MINUTE);
    expect(app.server.sessions).toHaveLength(1);
    await run(MINUTE + 1000);
    expect(app.server.sessions).toHaveLength(2);
    expect(app.store.getState().newMail.checks[key]).toMatchObject({ kind: 'waiting' });
  });

  for (const code of ['IN-USE', 'LOGIN-DELAY'] as const) {
    it(`backs off on [${code}] (twice as long each time), retries by Reconnect, and resets once signed in`, async () => {
      const { store, server } = await signedIn();
      server.failWith = new Pop3ServerError('PASS', 'not now', code, 'login');
      await run(5 * MINUTE - 1000);
      expect(server.logins).toHaveLength(2);
      expect(store.getState().session).toMatchObject({ kind: 'broken' });
      expect(store.getState().newMail.checks[key]).toMatchObject({
        kind: 'waiting',
        backoff: 1,
        refused: code,
      });
      await run(10 * MINUTE - 1000);
      expect(server.logins).toHaveLength(2);
      await run(1000);
      expect(server.logins).toHaveLength(3);
      server.failWith = undefined;
      store.getState().actions.noteActivity(); // the user is still there (the idle limit is 30 minutes)
      await run(20 * MINUTE);
      expect(server.logins).toHaveLength(4);
      expect(store.getState().session.kind).toBe('open');
      expect(store.getState().newMail.checks[key]).toMatchObject({ kind: 'waiting', backoff: 0 });
      await run(5 * MINUTE);
      expect(server.logins).toHaveLength(5);
    });
  }

  it('gives up on another refusal (a wrong password) until the user signs in again', async () => {
    const { store, server } = await signedIn();
    server.failWith = new Pop3ServerError('PASS', 'no', 'AUTH', 'login');
    await run(20 * MINUTE);
    expect(server.logins).toHaveLength(2);
    expect(store.getState().newMail.checks[key]).toEqual({ kind: 'off' });
  });

  it('is no user activity: the idle lock still comes, and stops the checks', async () => {
    const { store, server } = await signedIn();
    await run(30 * MINUTE);
    expect(store.getState().session.kind).toBe('locked');
    const logins = server.logins.length;
    expect(logins).toBe(6); // the sign-in and five checks
    await run(30 * MINUTE);
    expect(server.logins).toHaveLength(logins);
  });

  it('is stopped by the lock and by Sign out', async () => {
    const locked = await signedIn();
    await settled(locked.actions.lock());
    expect(locked.store.getState().session.kind).toBe('locked');
    await run(30 * MINUTE);
    expect(locked.server.logins).toHaveLength(1);

    const out = await signedIn();
    await settled(out.actions.signOut());
    await run(30 * MINUTE);
    expect(out.server.logins).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits while deletions are marked (QUIT would commit them, Undo could not take them back)', async () => {
    const { store, server } = await signedIn();
    await settled(store.getState().actions.deleteMessage(1));
    expect(store.getState().rows.find((row) => row.number === 1)?.deleted).toBe(true);
    await run(10 * MINUTE);
    expect(server.sessions).toHaveLength(1);
    await settled(store.getState().actions.undoDeletes());
    await run(30_000);
    expect(server.sessions).toHaveLength(2);
  });

  it('follows the account settings: off, or other minutes', async () => {
    const off = await signedIn({ check: false, minutes: 5, notify: false });
    await run(30 * MINUTE);
    expect(off.server.sessions).toHaveLength(1);

    const { store, server } = await signedIn({ check: true, minutes: 2, notify: false });
    await run(2 * MINUTE + 1000);
    expect(server.sessions).toHaveLength(2);
    const settings = store.getState().device.account!.settings;
    await settled(
      store
        .getState()
        .actions.saveAccountSettings({ ...settings, newMail: { check: false, minutes: 2, notify: false } }),
    );
    await run(30 * MINUTE);
    expect(server.sessions).toHaveLength(2);
  });
});

describe('new-mail notifications', () => {
  const dana = () =>
    message('uid-4', 'Lunch\u202e?', 'Dana\u200b <dana@example.org>', 'Thu, 13 Nov 2025 09:00:00 +0000');

  it('shows sender and subject (sanitized) when the tab is not watched; a click opens the message', async () => {
    const { store, maildrop, notifier } = await signedIn({ check: true, minutes: 5, notify: true });
    maildrop.deliver(dana());
    await run(5 * MINUTE + 1000);
    expect(notifier.shown.map(({ note }) => [note.title, note.body])).toEqual([['Dana', 'Lunch?']]);
    notifier.shown[0]!.click();
    await run(1000);
    expect(store.getState().open).toMatchObject({ kind: 'ready', uid: 'uid-4' });
  });

  it('groups more than three into one ("5 new messages"), opening the newest', async () => {
    const { maildrop, notifier } = await signedIn({ check: true, minutes: 5, notify: true });
    for (let day = 14; day <= 18; day++) {
      maildrop.deliver(
        message(`uid-${day}`, `Day ${day}`, 'x@example.org', `${day} Nov 2025 09:00:00 +0000`),
      );
    }
    await run(5 * MINUTE + 1000);
    expect(notifier.shown.map(({ note }) => [note.title, note.body, note.uid])).toEqual([
      ['5 new messages', 'demo', 'uid-18'],
    ]);
  });

  it('shows none while the user is looking at the tab, when not opted in, or without permission', async () => {
    const watched = new RecordingNotifier();
    watched.looking = true;
    const looking = await signedIn({ check: true, minutes: 5, notify: true }, watched);
    looking.maildrop.deliver(dana());
    await run(5 * MINUTE + 1000);
    expect(looking.store.getState().rows.some((row) => row.uid === 'uid-4')).toBe(true);
    expect(watched.shown).toEqual([]);

    const notOptedIn = await signedIn({ check: true, minutes: 5, notify: false });
    notOptedIn.maildrop.deliver(dana());
    await run(5 * MINUTE + 1000);
    expect(notOptedIn.notifier.shown).toEqual([]);

    const denied = new RecordingNotifier();
    denied.granted = 'denied';
    const refused = await signedIn({ check: true, minutes: 5, notify: true }, denied);
    refused.maildrop.deliver(dana());
    await run(5 * MINUTE + 1000);
    expect(denied.shown).toEqual([]);
    expect(denied.requests).toEqual([]);
  });

  it('asks for permission only when asked to (the checkbox click), and keeps the answer', async () => {
    const notifier = new RecordingNotifier();
    notifier.granted = 'default';
    const app = setup(threeMessages(), { deps: { notifier } });
    expect(app.store.getState().newMail.permission).toBe('default');
    await settled(app.actions.signIn(signInParams));
    expect(notifier.requests).toEqual([]);
    notifier.granted = 'granted';
    await expect(app.actions.askNotifyPermission()).resolves.toBe('granted');
    expect(notifier.requests).toHaveLength(1);
    expect(app.store.getState().newMail.permission).toBe('granted');
  });
});
