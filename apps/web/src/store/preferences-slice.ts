import { loadLanguage, type Language } from '../i18n/index.js';
import type { Runtime, Slice, StoreTools } from './app-state.js';
import { defaultSettings, type Settings, type Theme } from './settings.js';

export interface PreferencesSlice {
  /** Kept in the settings storage (localStorage): language, theme, sort, trusted image senders. */
  readonly settings: Settings;
  readonly actions: {
    /** Loads the language's dictionary, then switches. */
    setLanguage(language: Language): Promise<void>;
    setTheme(theme: Theme): void;
  };
}

export function createPreferencesSlice(runtime: Runtime): Slice<PreferencesSlice> {
  return (set, get) => {
    const tools = { set, get };
    return {
      settings: { ...defaultSettings(), ...runtime.settingsStorage.load() },
      actions: {
        async setLanguage(language) {
          try {
            await loadLanguage(language);
          } catch {
            return; // the dictionary could not be fetched: stay in the current language
          }
          savePreferences(tools, runtime, { language });
        },

        setTheme(theme) {
          savePreferences(tools, runtime, { theme });
        },
      },
    };
  };
}

/**
 * Changes preferences and stores them; during a shared-computer session in memory only (the sign-out
 * reads the stored ones back).
 */
export function savePreferences({ set, get }: StoreTools, runtime: Runtime, patch: Partial<Settings>): void {
  const settings = { ...get().settings, ...patch };
  if (!runtime.sharedComputer) runtime.settingsStorage.save(settings);
  set({ settings });
}
