import type { LoginMethod } from '@webpop/pop3';
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
  /**
   * Per account (accountKey), the login method that worked with `auto`: tried first next time, so a
   * server that pretends to offer a method (and makes every sign-in fall back) costs the fallback once.
   */
  readonly loginMethods: Readonly<Record<string, LoginMethod>>;
  /** The accounts (accountKey) whose list is grouped by conversation ("Group by conversation"). */
  readonly groupedAccounts: readonly string[];
  /** All inboxes grouped by conversation (across accounts). */
  readonly groupedAllInboxes: boolean;
}

export interface SettingsStorage {
  load(): Partial<Settings>;
  save(settings: Settings): void;
}

const KEY = 'webpop.settings';

export function defaultSettings(): Settings {
  return {
    language: detectLanguage(),
    theme: 'system',
    imagesAlways: [],
    sort: 'date',
    descending: true,
    loginMethods: {},
    groupedAccounts: [],
    groupedAllInboxes: false,
  };
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
        if (value.loginMethods && typeof value.loginMethods === 'object') {
          out.loginMethods = Object.fromEntries(
            Object.entries(value.loginMethods as Record<string, unknown>).filter(
              (entry): entry is [string, LoginMethod] => isLoginMethod(entry[1]),
            ),
          );
        }
        if (Array.isArray(value.groupedAccounts)) {
          out.groupedAccounts = value.groupedAccounts.filter(
            (entry): entry is string => typeof entry === 'string',
          );
        }
        if (typeof value.groupedAllInboxes === 'boolean') out.groupedAllInboxes = value.groupedAllInboxes;
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

// A Record over the engine's union (type-only: the engine stays out of the app shell), so a new login
// method is a compile error here rather than a remembered method silently dropped.
const loginMethodNames: Readonly<Record<LoginMethod, true>> = {
  user: true,
  apop: true,
  plain: true,
  login: true,
  'cram-md5': true,
  xoauth2: true,
  oauthbearer: true,
};

function isLoginMethod(value: unknown): value is LoginMethod {
  return typeof value === 'string' && Object.hasOwn(loginMethodNames, value);
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
