import { detectLanguage, isLanguage, type Language } from '../i18n/index.js';

export type Theme = 'system' | 'light' | 'dark';
export type SortKey = 'date' | 'sender' | 'subject' | 'size';

/** Preferences kept in localStorage. Never credentials: the password lives in memory only. */
export interface Settings {
  readonly language: Language;
  readonly theme: Theme;
  /** Sender addresses (lower case) whose remote images are always shown. */
  readonly imagesAlways: readonly string[];
  readonly sort: SortKey;
  readonly descending: boolean;
}

export interface SettingsStorage {
  load(): Partial<Settings>;
  save(settings: Settings): void;
}

const KEY = 'webpop.settings';

export function defaultSettings(): Settings {
  return { language: detectLanguage(), theme: 'system', imagesAlways: [], sort: 'date', descending: true };
}

export function localSettingsStorage(
  storage: Storage | undefined = globalThis.localStorage,
): SettingsStorage {
  return {
    load() {
      try {
        const value = JSON.parse(storage?.getItem(KEY) ?? '{}') as Record<string, unknown>;
        const out: { -readonly [K in keyof Settings]?: Settings[K] } = {};
        if (isLanguage(value.language)) out.language = value.language;
        if (value.theme === 'light' || value.theme === 'dark' || value.theme === 'system')
          out.theme = value.theme;
        if (Array.isArray(value.imagesAlways)) {
          out.imagesAlways = value.imagesAlways.filter((entry): entry is string => typeof entry === 'string');
        }
        if (['date', 'sender', 'subject', 'size'].includes(value.sort as string))
          out.sort = value.sort as SortKey;
        if (typeof value.descending === 'boolean') out.descending = value.descending;
        return out;
      } catch {
        return {};
      }
    },
    save(settings) {
      try {
        storage?.setItem(KEY, JSON.stringify(settings));
      } catch {
        // Storage full or disabled: preferences last for this tab only.
      }
    },
  };
}

export function memorySettingsStorage(initial: Partial<Settings> = {}): SettingsStorage {
  let saved: Partial<Settings> = initial;
  return {
    load: () => saved,
    save: (settings) => {
      saved = settings;
    },
  };
}
