import { describe, expect, it } from 'vitest';
import { setup } from './support/app.js';

describe('preferences', () => {
  it('saves the theme to the settings storage, and a new store starts from what was saved', () => {
    const first = setup();
    first.actions.setTheme('dark');
    expect(first.store.getState().settings.theme).toBe('dark');
    expect(first.settings.load()).toMatchObject({ theme: 'dark', language: 'en' });

    const second = setup(undefined, { deps: { settingsStorage: first.settings } });
    expect(second.store.getState().settings.theme).toBe('dark');
  });

  it('switches the language once its dictionary is loaded', async () => {
    const { store, actions, settings } = setup();
    await actions.setLanguage('de');
    expect(store.getState().settings.language).toBe('de');
    expect(settings.load()).toMatchObject({ language: 'de' });
  });

  it('keeps the sort order when only the sort key changes, and stores both', () => {
    const { store, actions, settings } = setup();
    expect(store.getState().settings).toMatchObject({ sort: 'date', descending: true });
    actions.setSort('size');
    expect(store.getState().settings).toMatchObject({ sort: 'size', descending: true });
    actions.setSort('sender', false);
    expect(settings.load()).toMatchObject({ sort: 'sender', descending: false });
  });
});
