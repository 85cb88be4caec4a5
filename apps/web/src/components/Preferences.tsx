import { useId } from 'react';
import { languages, type Language } from '../i18n/index.js';
import type { Theme } from '../store/settings.js';
import { useActions, useAppShallow, useI18n } from '../store/context.js';

/** Language and theme pickers. */
export function Preferences() {
  const { t } = useI18n();
  const actions = useActions();
  const { language, theme } = useAppShallow((state) => ({
    language: state.settings.language,
    theme: state.settings.theme,
  }));
  const id = useId();
  return (
    <div className="preferences">
      <label className="visually-hidden" htmlFor={`${id}-language`}>
        {t('app.language')}
      </label>
      <select
        id={`${id}-language`}
        className="compact"
        aria-label="Language"
        value={language}
        // setLanguage never rejects: a dictionary that cannot be fetched keeps the current language.
        onChange={(event) => void actions.setLanguage(event.target.value as Language)}
      >
        {languages.map((entry) => (
          <option key={entry.code} value={entry.code} lang={entry.code}>
            {entry.name}
          </option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor={`${id}-theme`}>
        {t('app.theme')}
      </label>
      <select
        id={`${id}-theme`}
        className="compact"
        aria-label="Theme"
        value={theme}
        onChange={(event) => actions.setTheme(event.target.value as Theme)}
      >
        <option value="system">{t('theme.system')}</option>
        <option value="light">{t('theme.light')}</option>
        <option value="dark">{t('theme.dark')}</option>
      </select>
    </div>
  );
}
