// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../src/i18n/index.js';
import { message } from './support/app.js';
import { giveLayout, renderApp, signIn } from './support/render-app.js';

beforeAll(giveLayout);
afterEach(() => cleanup());

const four = Array.from({ length: 4 }, (_, index) =>
  message(
    `uid-${index + 1}`,
    `Subject ${index + 1}`,
    'A <a@example.org>',
    `Mon, 1${index} Nov 2025 09:00:00 +0000`,
  ),
);

async function listed() {
  const app = renderApp({}, four);
  const list = await signIn(app.user);
  await waitFor(() => expect(app.store.getState().listing.phase).toBe('done'));
  const option = (subject: string) => within(list).getByRole('option', { name: new RegExp(subject) });
  const selectedSubjects = () =>
    within(list)
      .getAllByRole('option')
      .filter((element) => element.getAttribute('aria-selected') === 'true')
      .map((element) => /Subject \d/.exec(element.textContent ?? '')?.[0]);
  return { ...app, list, option, selectedSubjects };
}

describe('selecting several messages', () => {
  it('Ctrl/Cmd-click toggles, Shift-click selects the range shown; the listbox is multi-selectable', async () => {
    const { user, list, option, selectedSubjects } = await listed();
    expect(list.getAttribute('aria-multiselectable')).toBe('true');
    await user.click(option('Subject 4'));
    expect(selectedSubjects()).toEqual(['Subject 4']);
    await user.keyboard('{Shift>}');
    await user.click(option('Subject 2'));
    await user.keyboard('{/Shift}');
    expect(selectedSubjects()).toEqual(['Subject 4', 'Subject 3', 'Subject 2']);
    await user.keyboard('{Control>}');
    await user.click(option('Subject 3'));
    await user.keyboard('{/Control}');
    expect(selectedSubjects()).toEqual(['Subject 4', 'Subject 2']);
    await user.keyboard('{Meta>}');
    await user.click(option('Subject 1'));
    await user.keyboard('{/Meta}');
    expect(selectedSubjects()).toEqual(['Subject 4', 'Subject 2', 'Subject 1']);
    expect(screen.getByText('3 selected')).toBeTruthy();
  });

  it('"Select all", the bulk buttons, "Mark all as read" and Delete act on the selection', async () => {
    const { user, store, server, list, selectedSubjects } = await listed();
    await user.click(screen.getByRole('button', { name: 'Select all' }));
    expect(selectedSubjects()).toHaveLength(4);
    await user.click(screen.getByRole('button', { name: 'Star' }));
    expect(store.getState().rows.every((row) => row.starred)).toBe(true);
    expect(
      within(list)
        .getAllByRole('option')
        .every((row) => row.textContent?.includes('starred')),
    ).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Remove star' }));
    expect(store.getState().rows.some((row) => row.starred)).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Mark as read' }));
    expect(store.getState().rows.every((row) => row.read)).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Mark as unread' }));
    expect(store.getState().rows.some((row) => row.read)).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Mark all as read' }));
    expect(store.getState().rows.every((row) => row.read)).toBe(true);
    expect(screen.getByRole('button', { name: 'Mark all as read' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(store.getState().rows.every((row) => row.deleted)).toBe(true));
    expect(server.sessions[0]!.commands.filter((line) => line.startsWith('DELE'))).toHaveLength(4);
  });
});

describe('the keys for the selection', () => {
  it('x selects, Shift+↓ extends, s stars, Shift+I / Shift+U mark read / unread, # deletes', async () => {
    const { user, store, list, selectedSubjects } = await listed();
    list.focus();
    await user.keyboard('j');
    expect(selectedSubjects()).toEqual(['Subject 4']);
    await user.keyboard('{Shift>}{ArrowDown}{ArrowDown}{/Shift}');
    expect(selectedSubjects()).toEqual(['Subject 4', 'Subject 3', 'Subject 2']);
    await user.keyboard('x');
    expect(selectedSubjects()).toEqual(['Subject 4', 'Subject 3']);
    await user.keyboard('s');
    expect(store.getState().rows.map((row) => row.starred)).toEqual([false, false, true, true]);
    await user.keyboard('I');
    expect(store.getState().rows.map((row) => row.read)).toEqual([false, false, true, true]);
    await user.keyboard('U');
    expect(store.getState().rows.some((row) => row.read)).toBe(false);
    await user.keyboard('{Control>}a{/Control}');
    expect(selectedSubjects()).toHaveLength(4);
    await user.keyboard('#');
    await waitFor(() => expect(store.getState().rows.every((row) => row.deleted)).toBe(true));
  });

  it('no key fires while typing in a field', async () => {
    const { user, store, server } = await listed();
    await user.click(screen.getByRole('button', { name: 'Select all' }));
    await user.type(screen.getByRole('searchbox', { name: 'Filter' }), 'xs#IUe');
    expect(store.getState().rows.some((row) => row.starred || row.read)).toBe(false);
    expect(server.sessions[0]!.commands.some((line) => line.startsWith('DELE'))).toBe(false);
    expect(store.getState().selection.size).toBe(4);
  });

  it('? lists the keys', async () => {
    const { user } = await listed();
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const key of ['x', 'e', 's', '#', 'Shift+I', 'Shift+U', 'Shift+↓', 'Ctrl+A', '/'])
      expect(within(help).getByText(key, { selector: 'kbd' })).toBeTruthy();
    expect(help.textContent).toContain('mark as unread');
  });

  it('/ goes to "Search mail"; e archives the selection', async () => {
    const { user, store, list } = await listed();
    list.focus();
    await user.keyboard('j');
    await user.keyboard('e');
    expect(store.getState().rows.find((row) => row.uid === 'uid-4')?.place).toBe('archive');
    list.focus();
    await user.keyboard('/');
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search mail' }));
  });

  for (const language of ['de', 'ru'] as const) {
    it(`? lists the keys in ${language === 'de' ? 'German' : 'Russian'}`, async () => {
      const { user, actions } = await listed();
      await actions.setLanguage(language);
      await user.keyboard('?');
      const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
      const keys: Array<[string, MessageKey]> = [
        ['/', 'shortcuts.search'],
        ['x', 'shortcuts.select'],
        ['e', 'shortcuts.archive'],
        ['s', 'shortcuts.star'],
        ['#', 'shortcuts.delete'],
        ['Shift+I', 'shortcuts.markRead'],
        ['Shift+U', 'shortcuts.markUnread'],
        ['→', 'shortcuts.conversation'],
      ];
      for (const [key, text] of keys) {
        const entry = within(help).getByText(key, { selector: 'kbd' }).closest('div')!;
        expect(entry.querySelector('dd')!.textContent).toBe(translate(language, text));
        expect(translate(language, text)).not.toBe(translate('en', text));
      }
    });
  }
});
