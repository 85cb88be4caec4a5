import { describe, expect, it } from 'vitest';
import { de } from '../src/i18n/de.js';
import { en, type Dictionary } from '../src/i18n/en.js';
import { detectLanguage, formatSize, isLoaded, loadLanguage, translate } from '../src/i18n/index.js';
import { ru } from '../src/i18n/ru.js';

const placeholders = (value: string | object) =>
  [...JSON.stringify(value).matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('translations', () => {
  for (const [name, dictionary] of [
    ['German', de],
    ['Russian', ru],
  ] as Array<[string, Dictionary]>) {
    it(`${name} has exactly the English keys, the same placeholders and plural forms`, () => {
      expect(Object.keys(dictionary).sort()).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(en)) {
        const translated = dictionary[key as keyof typeof en];
        expect(typeof translated, key).toBe(typeof value);
        expect(new Set(placeholders(translated)), key).toEqual(new Set(placeholders(value)));
        if (typeof translated === 'string') expect(translated.trim(), key).not.toBe('');
        else expect(translated.other, key).toBeTruthy();
      }
    });
  }

  it('uses Russian plural forms', async () => {
    await loadLanguage('ru');
    expect(translate('ru', 'list.count', { count: 1 })).toBe('1 письмо');
    expect(translate('ru', 'list.count', { count: 3 })).toBe('3 письма');
    expect(translate('ru', 'list.count', { count: 5 })).toBe('5 писем');
    expect(translate('ru', 'list.count', { count: 21 })).toBe('21 письмо');
    expect(translate('en', 'list.count', { count: 1 })).toBe('1 message');
    expect(translate('en', 'list.count', { count: 10_000 })).toBe('10,000 messages');
  });

  it('loads German and Russian on demand, English is built in', async () => {
    expect(isLoaded('en')).toBe(true);
    await loadLanguage('de');
    expect(isLoaded('de')).toBe(true);
    expect(translate('de', 'toolbar.refresh')).toBe('Aktualisieren');
    expect(translate('de', 'reader.download', { name: 'a.pdf' })).toBe('a.pdf herunterladen');
  });

  it('picks the browser language', () => {
    expect(detectLanguage(['de-AT', 'en'])).toBe('de');
    expect(detectLanguage(['fr-FR', 'ru'])).toBe('ru');
    expect(detectLanguage(['fr'])).toBe('en');
    expect(detectLanguage([])).toBe('en');
  });

  it('formats sizes', () => {
    expect(formatSize(512, 'en')).toBe('512\u00a0B');
    expect(formatSize(1536, 'en')).toBe('1.5\u00a0KB');
    expect(formatSize(1536, 'de')).toBe('1,5\u00a0KB');
    expect(formatSize(5 * 1024 * 1024, 'ru')).toBe('5\u00a0МБ');
  });
});
