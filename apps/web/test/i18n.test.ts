import { afterEach, describe, expect, it, vi } from 'vitest';
import { de } from '../src/i18n/de.js';
import { en, type Dictionary } from '../src/i18n/en.js';
import {
  detectLanguage,
  formatListDate,
  formatSize,
  isLoaded,
  loadLanguage,
  translate,
  type Language,
} from '../src/i18n/index.js';
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

  it('formats sizes and counts as toLocaleString does, in every language', () => {
    const sizes = [
      0,
      1,
      1023,
      1024,
      1536,
      10 * 1024 - 1,
      10 * 1024,
      99.5 * 1024,
      5 * 1024 ** 2,
      3.25 * 1024 ** 3,
    ];
    const languages: Language[] = ['en', 'de', 'ru'];
    for (const language of languages) {
      for (const bytes of sizes) {
        const unit = bytes < 1024 ? 0 : bytes < 1024 ** 2 ? 1 : bytes < 1024 ** 3 ? 2 : 3;
        const value = bytes / 1024 ** unit;
        const number = value.toLocaleString(language, {
          maximumFractionDigits: unit > 0 && value < 10 ? 1 : 0,
        });
        const shown = formatSize(bytes, language);
        expect(shown.slice(0, shown.lastIndexOf('\u00a0'))).toBe(number);
      }
      expect(translate(language, 'list.count', { count: 1234567 })).toContain(
        (1234567).toLocaleString(language),
      );
    }
  });
});

describe('formatters kept per language', () => {
  afterEach(() => vi.restoreAllMocks());

  it('makes no Intl format per row', () => {
    // Warm each language's formats, then a list's worth of rows makes none.
    const now = new Date(2026, 11, 2, 15).getTime();
    const times = [now - 3_600_000, new Date(2026, 2, 1).getTime(), new Date(2019, 5, 7).getTime()];
    for (const language of ['en', 'de', 'ru'] as const) {
      for (const time of times) formatListDate(time, language, now);
      for (const bytes of [10, 2048, 20_480]) formatSize(bytes, language);
      translate(language, 'list.count', { count: 3 });
    }
    const numberFormat = vi.spyOn(Intl, 'NumberFormat');
    const dateFormat = vi.spyOn(Intl, 'DateTimeFormat');
    const toLocale = vi.spyOn(Number.prototype, 'toLocaleString');
    for (let row = 0; row < 200; row++) {
      formatSize(row * 997, 'de');
      formatListDate(times[row % 3], 'ru', now);
      translate('en', 'list.count', { count: row });
    }
    expect(numberFormat).not.toHaveBeenCalled();
    expect(dateFormat).not.toHaveBeenCalled();
    expect(toLocale).not.toHaveBeenCalled();
  });

  it('tells today, this year and other years apart', () => {
    const now = new Date(2026, 11, 2, 15, 30).getTime();
    const time = (...parts: [number, number, number, number?]) => new Date(...parts).getTime();
    expect(formatListDate(time(2026, 11, 2, 9), 'en', now)).toMatch(/^\d\d:\d\d/);
    // The same day of the month in another month, and the same month and day in another year.
    expect(formatListDate(time(2026, 10, 2, 9), 'en', now)).toBe('Nov 2');
    expect(formatListDate(time(2025, 11, 2, 9), 'en', now)).toBe('Dec 2, 2025');
    expect(formatListDate(time(2026, 11, 1, 23), 'de', now)).toBe('1. Dez.');
    expect(formatListDate(undefined, 'en', now)).toBe('');
  });
});
