// @vitest-environment jsdom
// "Formatted text" in the New message dialog, by role and name: the switch both ways (with the
// warning when formatting would be lost), the editor's toolbar, and hostile HTML pasted into it
// sanitized before it enters the page. What the toolbar's commands do is checked in Chromium
// (e2e/tests/compose.spec.ts): jsdom has no editing commands.
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailStore } from '../src/mailstore/index.js';
import { giveLayout, renderApp, signIn } from './support/render-app.js';

beforeAll(giveLayout);
// Signing in and the dialog's lazy parts took 32 s at load 22 on 2 cores (the default is 30 s).
const slow = { timeout: 180_000 };
afterEach(() => cleanup());

async function openCompose() {
  const opened = MailStore.open({ factory: new IDBFactory() });
  const app = renderApp({ deps: { mailStore: () => opened } });
  await signIn(app.user);
  await waitFor(() =>
    expect(screen.getByRole('button', { name: 'Compose' })).toHaveProperty('disabled', false),
  );
  await app.user.click(screen.getByRole('button', { name: 'Compose' }));
  const dialog = await screen.findByRole('dialog', { name: 'New message' });
  return { ...app, dialog };
}

const pasted =
  '<meta charset="utf-8"><style>body{display:none}</style><p class="x" style="position:fixed">Hi ' +
  '<b onmouseover="alert(1)">there</b><img src="https://tracker.example/p.gif"><img src=x onerror="alert(2)"></p>' +
  '<script>alert(3)</script><a href="javascript:alert(4)">bad</a> <a href="https://example.org/">good</a>';

describe('formatted text in "New message"', () => {
  it(
    'switches plain → formatted keeping the text; pasted HTML is sanitized; back to plain after a warning',
    slow,
    async () => {
      const { user, dialog, store } = await openCompose();
      const formatted = within(dialog).getByRole('checkbox', { name: 'Formatted text' });
      expect(formatted).toHaveProperty('checked', false);
      expect(within(dialog).queryByRole('toolbar', { name: 'Formatting' })).toBeNull();
      const plain = within(dialog).getByRole('textbox', { name: 'Message' });
      expect(plain.tagName).toBe('TEXTAREA');
      fireEvent.change(plain, { target: { value: 'Hello Ana,\n\n> quoted\n' } });

      await user.click(formatted);
      const editor = await waitFor(() => {
        const box = within(dialog).getByRole('textbox', { name: 'Message' });
        expect(box.tagName).toBe('DIV');
        return box;
      });
      expect(editor.getAttribute('aria-multiline')).toBe('true');
      expect(editor.getAttribute('contenteditable')).toBe('true');
      expect(editor.innerHTML).toBe('<p>Hello Ana,</p><blockquote><p>quoted</p></blockquote>');
      const toolbar = within(dialog).getByRole('toolbar', { name: 'Formatting' });
      expect(
        within(toolbar)
          .getAllByRole('button')
          .map((button) => button.getAttribute('aria-label')),
      ).toEqual(['Bold', 'Italic', 'Link', 'Bulleted list', 'Numbered list', 'Quote']);

      fireEvent.paste(editor, {
        clipboardData: {
          types: ['text/html', 'text/plain'],
          getData: (type: string) => (type === 'text/html' ? pasted : 'Hi there'),
        },
      });
      await waitFor(() => expect(editor.textContent).toContain('Hi there'));
      expect(
        editor.querySelectorAll('script, style, meta, img, [style], [class], [onmouseover], [onerror]'),
      ).toHaveLength(0);
      expect([...editor.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))).toEqual([
        'https://example.org/',
      ]);
      await waitFor(() => {
        const compose = store.getState().compose;
        expect(compose.kind === 'open' && compose.fields.html).toBe(editor.innerHTML);
      });

      // Bold and a link would be lost: the dialog asks first; "Keep formatting" keeps the editor.
      await user.click(formatted);
      const warning = await within(dialog).findByRole('alert');
      await user.click(within(warning).getByRole('button', { name: 'Keep formatting' }));
      expect(within(dialog).queryByRole('alert')).toBeNull();
      expect(within(dialog).getByRole('textbox', { name: 'Message' }).tagName).toBe('DIV');
      await user.click(formatted);
      await user.click(
        within(await within(dialog).findByRole('alert')).getByRole('button', {
          name: 'Switch to plain text',
        }),
      );
      await waitFor(() =>
        expect(within(dialog).getByRole('textbox', { name: 'Message' }).tagName).toBe('TEXTAREA'),
      );
      const text = (within(dialog).getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value;
      expect(text).toContain('Hello Ana,\n\n> quoted\n');
      expect(text).toContain('Hi there');
      expect(text).toContain('bad good <https://example.org/>');
      expect(formatted).toHaveProperty('checked', false);
    },
  );

  it('switches back without asking when nothing but paragraphs and quotes would be lost', slow, async () => {
    const { user, dialog } = await openCompose();
    const formatted = within(dialog).getByRole('checkbox', { name: 'Formatted text' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Message' }), {
      target: { value: 'one\ntwo' },
    });
    await user.click(formatted);
    await waitFor(() => expect(within(dialog).getByRole('textbox', { name: 'Message' }).tagName).toBe('DIV'));
    await user.click(formatted);
    await waitFor(() =>
      expect(within(dialog).getByRole('textbox', { name: 'Message' }).tagName).toBe('TEXTAREA'),
    );
    expect(within(dialog).queryByRole('alert')).toBeNull();
    expect(within(dialog).getByRole('textbox', { name: 'Message' })).toHaveProperty('value', 'one\ntwo\n');
  });

  it(
    'the toolbar names its shortcuts in the interface language; the accessible names stay English',
    slow,
    async () => {
      const { user, dialog } = await openCompose();
      await user.click(within(dialog).getByRole('checkbox', { name: 'Formatted text' }));
      const toolbar = await within(dialog).findByRole('toolbar', { name: 'Formatting' });
      expect(within(toolbar).getByRole('button', { name: 'Bold' }).getAttribute('title')).toBe(
        'Bold (Ctrl+B)',
      );
      await user.click(within(toolbar).getByRole('button', { name: 'Link' }));
      const address = within(dialog).getByRole('textbox', { name: 'Link address' });
      expect(within(dialog).getByRole('button', { name: 'Add link' })).toBeTruthy();
      await user.type(address, 'example.org/x{Enter}');
      // jsdom has no createLink: the link is inserted as a node, its address made https.
      const editor = within(dialog).getByRole('textbox', { name: 'Message' });
      await waitFor(() =>
        expect([...editor.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent])).toEqual(
          [['https://example.org/x', 'example.org/x']],
        ),
      );
    },
  );
});
