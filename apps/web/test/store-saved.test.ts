// "Open saved mail": accounts remembered at sign-in, opened read-only from the local store (fake-indexeddb).
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MailStore } from '../src/mailstore/index.js';
import { memoryCache, storeCache } from '../src/mailstore/mail-cache.js';
import { accountKey } from '../src/session/types.js';
import { selectAccount } from '../src/store/selectors.js';
import type { PasswordStore, SavedPassword } from '../src/session/password-credentials.js';
import { setup, signInParams, threeMessages } from './support/app.js';

async function withStore() {
  const mailStore = await MailStore.open({ factory: new IDBFactory() });
  const messages = threeMessages();
  const app = setup(messages, {
    cache: storeCache(async () => mailStore, memoryCache()),
    deps: { mailStore: async () => mailStore },
  });
  return { ...app, mailStore, messages, key: accountKey(signInParams) };
}

/** What a sign-in leaves behind to wait for: the account remembered, the headers written. */
async function signedInAndOut(app: Awaited<ReturnType<typeof withStore>>) {
  await app.actions.signIn(signInParams);
  await expect.poll(async () => (await app.mailStore.accounts()).length).toBe(1);
  await expect
    .poll(async () => (await app.mailStore.messages(app.key)).filter((record) => record.headers).length)
    .toBe(3);
  await app.actions.signOut();
}

describe('saved mail', () => {
  it('remembers the account at sign-in and lists it on the sign-in page', async () => {
    const app = await withStore();
    await app.actions.loadSavedAccounts();
    expect(app.store.getState().savedAccounts).toEqual([]);
    await signedInAndOut(app);
    await app.actions.loadSavedAccounts();
    expect(app.store.getState().savedAccounts).toMatchObject([
      { key: app.key, username: 'demo', server: 'Demo mailbox' },
    ]);
  });

  it('opens read-only from the store: rows from the saved headers, no connection, no commands', async () => {
    const app = await withStore();
    await signedInAndOut(app);
    const sessions = app.server.sessions.length;
    await app.actions.openSaved(app.key);
    const state = app.store.getState();
    expect(state.session).toMatchObject({ kind: 'offline', why: 'notSignedIn' });
    expect(selectAccount(state)).toMatchObject({ key: app.key, username: 'demo' });
    expect(state.rows.map((row) => row.subject).sort()).toEqual(['First', 'Third', 'Привет']);
    expect(state.listing).toMatchObject({ phase: 'done', total: 3 });
    expect(app.server.sessions.length).toBe(sessions);
  });

  it('reads every folder offline: each row in its place (Archive, Trash, Sent), emptied ones left out', async () => {
    const app = await withStore();
    await signedInAndOut(app);
    const [archived, trashed, emptied] = (await app.mailStore.messages(app.key)).map((record) => record.uid);
    await app.mailStore.setState(app.key, [archived!], { place: 'archive' });
    await app.mailStore.setState(app.key, [emptied!], { place: 'trash' });
    await app.mailStore.emptyTrash(app.key);
    await app.mailStore.setState(app.key, [trashed!], { place: 'trash' });
    await app.mailStore.compose.putSent(
      app.key,
      '<sent@example.org>',
      new TextEncoder().encode('Subject: Sent one\r\n\r\nx\r\n'),
      {
        from: undefined,
        subject: 'Sent one',
        date: undefined,
      },
    );
    await app.actions.openSaved(app.key);
    const places = Object.fromEntries(app.store.getState().rows.map((row) => [row.uid, row.place]));
    expect(places[archived!]).toBe('archive');
    expect(places[trashed!]).toBe('trash');
    expect(places[emptied!]).toBeUndefined();
    expect(Object.values(places).sort()).toEqual(['archive', 'sent', 'trash']);
  });

  it('shows an import in a signed-in session at once, as kept only on this device beside the server’s rows', async () => {
    const app = await withStore();
    await app.actions.signIn(signInParams);
    await expect.poll(async () => (await app.mailStore.accounts()).length).toBe(1);
    const eml = new TextEncoder().encode(
      'From: Dora <dora@example.org>\r\nSubject: Imported live\r\n\r\nHi.\r\n',
    );
    await app.actions.importMail([new File([eml], 'live.eml')]);
    const imported = app.store.getState().rows.find((row) => row.subject === 'Imported live');
    expect(imported).toMatchObject({ onServer: false, saved: true, place: 'inbox' });
    expect(imported!.number).toBeLessThan(0);
    expect(app.store.getState().rows.filter((row) => row.onServer)).toHaveLength(3);
    // A second import gets a number of its own.
    const other = new TextEncoder().encode('Subject: Imported again\r\n\r\nHo.\r\n');
    await app.actions.importMail([new File([other], 'again.eml')]);
    const numbers = app.store.getState().rows.map((row) => row.number);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('says the bridge cannot be reached when the server list could not be loaded', async () => {
    const app = await withStore();
    await signedInAndOut(app);
    app.store.setState({ servers: { ...app.store.getState().servers, status: 'error', list: [] } });
    await app.actions.openSaved(app.key);
    expect(app.store.getState().session).toMatchObject({ kind: 'offline', why: 'unreachable' });
  });

  it('reads a saved message from the store byte-exact, and says so for one saved with headers only', async () => {
    const app = await withStore();
    await signedInAndOut(app);
    const first = app.messages[0]!;
    await app.mailStore.putRaw(app.key, first.uid, first.bytes, first.bytes.length);
    await app.actions.openSaved(app.key);
    const rows = app.store.getState().rows;
    const saved = rows.find((row) => row.uid === first.uid)!;
    const headersOnly = rows.find((row) => row.uid !== first.uid)!;

    await app.actions.openMessage(saved.number);
    const open = app.store.getState().open;
    expect(open?.kind).toBe('ready');
    expect(open?.kind === 'ready' && Buffer.from(open.raw).equals(Buffer.from(first.bytes))).toBe(true);

    await app.actions.openMessage(headersOnly.number);
    expect(app.store.getState().open).toMatchObject({ kind: 'failed', error: { key: 'offline.notSaved' } });
  });

  it('keeps what was read offline when signing in again (the UIDL diff keeps local state)', async () => {
    const app = await withStore();
    await signedInAndOut(app);
    const first = app.messages[0]!;
    await app.mailStore.putRaw(app.key, first.uid, first.bytes, first.bytes.length);
    await app.actions.openSaved(app.key);
    const saved = app.store.getState().rows.find((row) => row.uid === first.uid)!;
    await app.actions.openMessage(saved.number);
    await expect.poll(async () => (await app.mailStore.message(app.key, first.uid))?.read).toBe(true);

    await app.actions.signOut();
    expect(app.store.getState().session.kind).toBe('signedOut');
    app.maildrop.deliver({ uid: 'uid-4', bytes: app.messages[1]!.bytes });
    await app.actions.signIn(signInParams);
    const rows = app.store.getState().rows;
    expect(rows).toHaveLength(4);
    expect(rows.find((row) => row.uid === first.uid)?.read).toBe(true);
    expect((await app.mailStore.message(app.key, first.uid))?.storedBytes).toBe(first.bytes.length);
    // Only the new UIDL was asked for its headers.
    expect(app.server.sessions.at(-1)!.commands.filter((command) => command.startsWith('TOP'))).toEqual([
      'TOP 4 0',
    ]);
  });

  it('imports into a read-only mailbox and lists it there; exports what is saved, counting as it goes', async () => {
    const app = await withStore();
    await signedInAndOut(app);
    await app.actions.openSaved(app.key);
    const eml = new TextEncoder().encode(
      'Return-Path: <bounces@example.org>\r\nFrom: Carol <carol@example.org>\r\nSubject: Imported one\r\n\r\nHi.\r\n',
    );
    await app.actions.importMail([new File([eml], 'one.eml')]);
    expect(app.store.getState().transfer).toEqual({ kind: 'imported', messages: 1, failedFiles: [] });
    expect(app.store.getState().rows.map((row) => row.subject)).toContain('Imported one');

    expect(await app.actions.countExportable({ kind: 'account' })).toBe(1);
    let written = new Uint8Array();
    const seen: string[] = [];
    app.store.subscribe((state) => seen.push(state.transfer.kind));
    await app.actions.exportMail(
      {
        kind: 'file',
        write: async (stream) => {
          written = new Uint8Array(await new Response(stream).arrayBuffer());
        },
      },
      'mbox',
      { kind: 'folder', folder: 'inbox' },
    );
    expect(app.store.getState().transfer).toEqual({ kind: 'exported', messages: 1, bytes: eml.length });
    expect(seen).toContain('exporting');
    // The envelope sender is the Return-Path (what `webpop fetch --mbox` writes), not the From address.
    expect(new TextDecoder().decode(written)).toMatch(/^From bounces@example\.org .+\nReturn-Path: /);
  });
});

describe('remembered accounts: display name, colour, Forget', () => {
  it('lists the server as chosen and the display name and colour; never a password', async () => {
    const app = await withStore();
    await app.actions.signIn(signInParams);
    await expect.poll(() => app.store.getState().device.account?.key).toBe(app.key);
    const settings = app.store.getState().device.account!.settings;
    await app.actions.saveAccountSettings({
      ...settings,
      appearance: { displayName: 'Work', colour: '#2b9a52' },
    });
    await app.actions.signOut();
    await app.actions.loadSavedAccounts();
    const [saved] = app.store.getState().savedAccounts;
    expect(saved).toMatchObject({
      key: app.key,
      username: 'demo',
      choice: { kind: 'configured', id: 'demo' },
      appearance: { displayName: 'Work', colour: '#2b9a52' },
    });
    expect(JSON.stringify(app.store.getState().savedAccounts)).not.toContain(signInParams.password);
    expect(JSON.stringify(await app.mailStore.accounts())).not.toContain(signInParams.password);
  });

  it('says what Forget deletes, then forgets the account and everything of it; the server is not touched', async () => {
    const app = await withStore();
    await signedInAndOut(app);
    const first = app.messages[0]!;
    await app.mailStore.putRaw(app.key, first.uid, first.bytes, first.bytes.length);
    const commands = app.server.sessions.flatMap((session) => session.commands).length;
    await app.actions.loadSavedAccounts();
    expect(await app.actions.savedHoldings(app.key)).toEqual({
      messages: 1,
      bytes: first.bytes.length,
      onlyHere: 0,
      drafts: 0,
    });
    await app.actions.forgetSaved(app.key);
    expect(app.store.getState().savedAccounts).toEqual([]);
    expect(await app.mailStore.accounts()).toEqual([]);
    expect(await app.mailStore.messages(app.key)).toEqual([]);
    expect(await app.mailStore.raw(app.key, first.uid)).toBeUndefined();
    // No session was opened for it, no command sent: the maildrop keeps all three.
    expect(app.server.sessions.flatMap((session) => session.commands)).toHaveLength(commands);
    expect(app.maildrop.messages).toHaveLength(3);
  });

  it('refuses to forget the account signed in', async () => {
    const app = await withStore();
    await app.actions.signIn(signInParams);
    await expect.poll(async () => (await app.mailStore.accounts()).length).toBe(1);
    await app.actions.forgetSaved(app.key);
    expect(await app.mailStore.account(app.key)).toBeDefined();
  });
});

/** A browser password store that records what it is given (the Credential Management API's shape). */
function recordingPasswords(available = true) {
  const saved: SavedPassword[] = [];
  let askedAgain = 0;
  const store: PasswordStore = {
    available: () => available,
    save: async (entry) => void saved.push(entry),
    find: async (username) => saved.find((entry) => entry.username === username)?.password,
    requireAsking: async () => void askedAgain++,
  };
  return { store, saved, askedAgain: () => askedAgain };
}

function withPasswords(rememberPasswords: boolean, passwords = recordingPasswords()) {
  const app = setup(threeMessages(), {
    deps: {
      passwords: passwords.store,
      loadServers: async () => ({
        servers: [{ id: 'demo', label: 'Demo mailbox', security: 'none' }],
        allowAnyTarget: false,
        sessionPolicy: { idleMinutes: 30, sharedComputerDefault: false, rememberPasswords },
      }),
    },
  });
  return { ...app, passwords };
}

describe('remembering the password in the browser (Credential Management)', () => {
  it('hands the password to the browser only after a login that worked, when ticked and allowed', async () => {
    const app = withPasswords(true);
    await app.actions.loadServers();
    expect(app.actions.passwordOffered(false)).toBe(true);
    app.server.failWith = new Error('refused');
    await app.actions.signIn({ ...signInParams, rememberPassword: true });
    expect(app.store.getState().session.kind).toBe('signInFailed');
    expect(app.passwords.saved).toEqual([]);
    app.server.failWith = undefined;
    await app.actions.signIn({ ...signInParams, rememberPassword: true });
    expect(app.store.getState().session.kind).toBe('open');
    await expect
      .poll(() => app.passwords.saved)
      .toEqual([{ username: 'demo', password: signInParams.password, name: 'demo on Demo mailbox' }]);
    // Refresh signs in again: nothing more is offered to the browser.
    await app.actions.refresh();
    expect(app.passwords.saved).toHaveLength(1);
    // Sign out: the browser asks before handing it over again; filling it asks the browser.
    await app.actions.signOut();
    expect(app.passwords.askedAgain()).toBe(1);
    expect(await app.actions.browserPassword('demo', false)).toBe(signInParams.password);
    expect(await app.actions.browserPassword('someone', false)).toBeUndefined();
  });

  it('never without the tick, never on a shared computer, never where the bridge does not allow it', async () => {
    const unticked = withPasswords(true);
    await unticked.actions.loadServers();
    await unticked.actions.signIn(signInParams);
    expect(unticked.store.getState().session.kind).toBe('open');

    const shared = withPasswords(true);
    await shared.actions.loadServers();
    expect(shared.actions.passwordOffered(true)).toBe(false);
    await shared.actions.signIn({ ...signInParams, rememberPassword: true, sharedComputer: true });
    expect(shared.store.getState().session.kind).toBe('open');
    expect(await shared.actions.browserPassword('demo', true)).toBeUndefined();

    const notAllowed = withPasswords(false);
    await notAllowed.actions.loadServers();
    expect(notAllowed.actions.passwordOffered(false)).toBe(false);
    await notAllowed.actions.signIn({ ...signInParams, rememberPassword: true });
    expect(notAllowed.store.getState().session.kind).toBe('open');

    const noApi = withPasswords(true, recordingPasswords(false));
    await noApi.actions.loadServers();
    expect(noApi.actions.passwordOffered(false)).toBe(false);

    await Promise.resolve();
    for (const app of [unticked, shared, notAllowed]) expect(app.passwords.saved).toEqual([]);
  });

  it('keeps the password out of the app’s own storage', async () => {
    const app = withPasswords(true);
    await app.actions.loadServers();
    await app.actions.signIn({ ...signInParams, rememberPassword: true });
    await expect.poll(() => app.passwords.saved.length).toBe(1);
    expect(JSON.stringify(app.settings.load())).not.toContain(signInParams.password);
    expect(JSON.stringify(app.store.getState())).not.toContain(signInParams.password);
  });
});
