// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailStore } from '../src/mailstore/index.js';
import { giveLayout, renderApp, signIn } from './support/render-app.js';

beforeAll(giveLayout);
afterEach(() => cleanup());

/** The app over a real mail store (compose needs one: drafts and Sent live there). */
function renderWithStore(deps: NonNullable<Parameters<typeof renderApp>[0]>['deps'] = {}) {
  const factory = new IDBFactory();
  const opened = MailStore.open({ factory });
  return { ...renderApp({ deps: { mailStore: () => opened, ...deps } }), factory };
}

describe('writing mail in the app', () => {
  it('the identity set in Account settings is remembered and is the From of a new message', async () => {
    const { user, factory } = renderWithStore();
    await signIn(user);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Settings' })).toHaveProperty('disabled', false),
    );
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const settings = screen.getByRole('dialog', { name: 'Account settings' });
    const identity = within(settings).getByRole('group', { name: 'Identity' });
    await user.type(within(identity).getByRole('textbox', { name: 'Your name' }), 'Dé Mo');
    await user.type(within(identity).getByRole('textbox', { name: 'Email address' }), 'demo@webpop.example');
    await user.type(within(identity).getByRole('textbox', { name: 'Reply-To' }), 'desk@webpop.example');
    await user.type(within(identity).getByRole('textbox', { name: 'Signature' }), 'Dé');
    await user.click(within(settings).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Account settings' })).toBeNull());
    await waitFor(async () =>
      expect((await (await MailStore.open({ factory })).accounts())[0]?.settings.identity).toEqual({
        name: 'Dé Mo',
        address: 'demo@webpop.example',
        replyTo: 'desk@webpop.example',
        signature: 'Dé',
      }),
    );

    // Saved again with other settings changed, the identity stays.
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const again = screen.getByRole('dialog', { name: 'Account settings' });
    expect(within(again).getByRole('textbox', { name: 'Your name' })).toHaveProperty('value', 'Dé Mo');
    await user.click(within(again).getByRole('radio', { name: 'Everything' }));
    await user.click(within(again).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Account settings' })).toBeNull());

    await user.click(screen.getByRole('button', { name: 'Compose' }));
    const dialog = await screen.findByRole('dialog', { name: 'New message' });
    expect(within(dialog).getByRole('textbox', { name: 'From' })).toHaveProperty(
      'value',
      'Dé Mo <demo@webpop.example>',
    );
    expect(within(dialog).getByRole('textbox', { name: 'Message' })).toHaveProperty('value', '\n\n-- \nDé\n');
  });

  it('Escape closes "New message" keeping the draft; Drafts lists it and opens it again', async () => {
    const { user } = renderWithStore();
    await signIn(user);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Compose' })).toHaveProperty('disabled', false),
    );
    await user.click(screen.getByRole('button', { name: 'Compose' }));
    const dialog = await screen.findByRole('dialog', { name: 'New message' });
    const to = within(dialog).getByRole('combobox', { name: 'To' });
    expect(document.activeElement).toBe(to);
    await user.type(to, 'ana@example.org');
    await user.type(within(dialog).getByRole('textbox', { name: 'Subject' }), 'Half written');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New message' })).toBeNull());

    await user.click(
      within(screen.getByRole('navigation', { name: 'Folders' })).getByRole('link', { name: 'Drafts' }),
    );
    const drafts = await screen.findByRole('list', { name: 'Drafts' });
    await user.click(within(drafts).getByRole('button', { name: /Half written/ }));
    const reopened = await screen.findByRole('dialog', { name: 'New message' });
    expect(within(reopened).getByRole('combobox', { name: 'To' })).toHaveProperty('value', 'ana@example.org');
  });
  it('offers the senders in the mail store as you type, and attaches files dropped on the dialog', async () => {
    const { user, store } = renderWithStore();
    await signIn(user);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Compose' })).toHaveProperty('disabled', false),
    );
    await user.click(screen.getByRole('button', { name: 'Compose' }));
    const dialog = await screen.findByRole('dialog', { name: 'New message' });
    const to = within(dialog).getByRole('combobox', { name: 'To' });
    const list = document.getElementById(to.getAttribute('list')!)!;
    expect([...list.querySelectorAll('option')].map((option) => option.value)).toEqual([
      'Alice <alice@example.org>',
      '"Bob B." <bob@example.org>',
      'Ivan <ivan@example.ru>',
    ]);

    // jsdom's File has no arrayBuffer() (every browser's has): given here as the browser's would be.
    const bytes = new Uint8Array([1, 2, 3]);
    const file = Object.assign(new File([bytes], 'dropped.bin', { type: 'application/octet-stream' }), {
      arrayBuffer: async () => bytes.slice().buffer,
    });
    fireEvent.dragOver(dialog, { dataTransfer: { types: ['Files'], files: [file] } });
    expect(dialog.getAttribute('data-dropping')).toBe('true');
    fireEvent.drop(dialog, { dataTransfer: { types: ['Files'], files: [file] } });
    await waitFor(() => {
      const compose = store.getState().compose;
      expect(
        compose.kind === 'open' && compose.fields.attachments.map((a) => [a.name, [...a.bytes]]),
      ).toEqual([['dropped.bin', [1, 2, 3]]]);
    });
    expect(dialog.getAttribute('data-dropping')).toBe('false');
    expect(within(dialog).getByText(/dropped\.bin/)).toBeTruthy();
  });

  it('a server without a submission server: Compose is off, and says why', async () => {
    const { user } = renderWithStore({
      loadServers: async () => ({
        servers: [{ id: 'demo', label: 'Demo mailbox', security: 'none' }],
        allowAnyTarget: false,
      }),
    });
    await signIn(user);
    const compose = screen.getByRole('button', { name: 'Compose' });
    await waitFor(() => expect(compose.getAttribute('title')).toMatch(/no submission server/));
    expect(compose).toHaveProperty('disabled', true);
    expect(screen.getByText(/Sending is not set up for this server/)).toBeTruthy();
  });
});
