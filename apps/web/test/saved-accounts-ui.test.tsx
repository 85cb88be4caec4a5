// @vitest-environment jsdom
// The sign-in page's remembered accounts (issue 18): choosing one fills the form, "Forget" says in
// words what it deletes before it does, and a display name and colour set in Account settings.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailStore } from '../src/mailstore/index.js';
import { memoryCache, storeCache } from '../src/mailstore/mail-cache.js';
import type { PasswordStore } from '../src/session/password-credentials.js';
import { accountKey } from '../src/session/types.js';
import { signInParams } from './support/app.js';
import { giveLayout, renderApp, signIn } from './support/render-app.js';

beforeAll(giveLayout);
afterEach(() => cleanup());

// Whole-app tests with typing (jsdom): 8–15 s alone, over the 30 s default at load 20 (2 cores).
const WHOLE_APP_MS = 90_000;

async function appWithStore(extra: Parameters<typeof renderApp>[0] = {}) {
  const mailStore = await MailStore.open({ factory: new IDBFactory() });
  const app = renderApp({
    ...extra,
    cache: storeCache(async () => mailStore, memoryCache()),
    deps: { mailStore: async () => mailStore, ...extra.deps },
  });
  return { ...app, mailStore, key: accountKey(signInParams) };
}

const saved = () => screen.findByRole('region', { name: 'Saved on this device' });

describe('remembered accounts on the sign-in page', () => {
  it(
    'lists the account with its display name and colour, fills the form from it, and forgets it only when told',
    async () => {
      const app = await appWithStore();
      const { user } = app;
      await signIn(user);
      await user.click(screen.getByRole('button', { name: 'Settings' }));
      const dialog = screen.getByRole('dialog', { name: 'Account settings' });
      await user.type(within(dialog).getByRole('textbox', { name: 'Display name' }), 'Work');
      await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Colour' }), 'Green');
      await user.click(within(dialog).getByRole('button', { name: 'Save' }));
      await waitFor(async () =>
        expect((await app.mailStore.account(app.key))?.settings.appearance).toEqual({
          displayName: 'Work',
          colour: '#2b9a52',
        }),
      );
      await user.click(screen.getByRole('button', { name: 'Sign out' }));

      const list = await saved();
      const entry = await within(list).findByRole('listitem', { name: 'demo on Demo mailbox' });
      expect(entry.textContent).toContain('Work');
      expect(entry.textContent).not.toContain(signInParams.password);
      const username = screen.getByRole('textbox', { name: 'Username' });
      await user.type(username, 'someone');
      await user.click(within(entry).getByRole('button', { name: 'Use demo on Demo mailbox' }));
      expect(username).toHaveProperty('value', 'demo');
      expect(document.activeElement).toBe(screen.getByLabelText('Password'));

      // Forget asks first, in words; "Keep it" keeps it.
      await user.click(within(entry).getByRole('button', { name: 'Forget' }));
      const question = await within(entry).findByRole('group', { name: 'Forget this account?' });
      expect(question.textContent).toContain('Forget demo on Demo mailbox on this device?');
      expect(question.textContent).toContain('No mail of it is saved on this device');
      expect(question.textContent).toContain('Mail on the server is not touched.');
      await user.click(within(question).getByRole('button', { name: 'Keep it' }));
      expect(within(entry).queryByRole('group')).toBeNull();
      expect(await app.mailStore.account(app.key)).toBeDefined();

      await user.click(within(entry).getByRole('button', { name: 'Forget' }));
      await user.click(await screen.findByRole('button', { name: 'Forget this account' }));
      await waitFor(() => expect(screen.queryByRole('region', { name: 'Saved on this device' })).toBeNull());
      expect(await app.mailStore.accounts()).toEqual([]);
    },
    WHOLE_APP_MS,
  );

  it(
    'names the saved messages, those only here and the drafts before deleting them',
    async () => {
      const app = await appWithStore();
      const { user } = app;
      await signIn(user);
      await waitFor(async () => expect(await app.mailStore.account(app.key)).toBeDefined());
      await user.click(screen.getByRole('button', { name: 'Sign out' }));
      const bytes = new TextEncoder().encode('Subject: Kept\r\n\r\nOnly here.\r\n');
      await app.mailStore.importRaw(app.key, bytes);
      const entry = await within(await saved()).findByRole('listitem', { name: 'demo on Demo mailbox' });
      await user.click(within(entry).getByRole('button', { name: 'Forget' }));
      const question = await within(entry).findByRole('group', { name: 'Forget this account?' });
      expect(question.textContent).toContain('The 1 message saved on this device');
      expect(question.textContent).toContain('1 of them is no longer on the server: it exists only here.');
      expect(within(question).queryByRole('button', { name: 'Forget this account' })).toBeNull();
      await user.click(within(question).getByRole('button', { name: 'Delete saved mail and forget' }));
      await waitFor(async () =>
        expect(
          await app.mailStore.raw(app.key, (await app.mailStore.messages(app.key))[0]?.uid ?? ''),
        ).toBeUndefined(),
      );
      expect(await app.mailStore.holdings(app.key)).toEqual({
        messages: 0,
        bytes: 0,
        onlyHere: 0,
        drafts: 0,
      });
    },
    WHOLE_APP_MS,
  );

  it('offers to remember the password only where the bridge allows it, and fills it from the browser', async () => {
    const kept = new Map([['demo', 'from-the-browser']]);
    const passwords: PasswordStore = {
      available: () => true,
      save: async ({ username, password }) => void kept.set(username, password),
      find: async (username) => kept.get(username),
      requireAsking: async () => undefined,
    };
    const app = await appWithStore({
      deps: {
        passwords,
        loadServers: async () => ({
          servers: [{ id: 'demo', label: 'Demo mailbox', security: 'none' }],
          allowAnyTarget: false,
          sessionPolicy: { idleMinutes: 30, sharedComputerDefault: false, rememberPasswords: true },
        }),
      },
    });
    const { user } = app;
    const remember = await screen.findByRole('checkbox', { name: 'Remember the password in this browser' });
    expect(remember).toHaveProperty('checked', false);
    await user.click(screen.getByRole('checkbox', { name: 'This is a shared computer' }));
    expect(screen.queryByRole('checkbox', { name: 'Remember the password in this browser' })).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'This is a shared computer' }));
    await user.click(screen.getByRole('checkbox', { name: 'Remember the password in this browser' }));
    await signIn(user);
    await waitFor(() => expect(kept.get('demo')).toBe('demo'));
    kept.set('demo', 'from-the-browser');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const entry = await within(await saved()).findByRole('listitem', { name: 'demo on Demo mailbox' });
    expect(screen.getByRole('checkbox', { name: 'Remember the password in this browser' })).toHaveProperty(
      'checked',
      false,
    );
    await user.click(within(entry).getByRole('button', { name: 'Use demo on Demo mailbox' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Password')).toHaveProperty('value', 'from-the-browser'),
    );
  });
});
