import { useEffect, useId, useRef, useState } from 'react';
import { languages, type Language } from '../i18n/index.js';
import type { Theme } from '../store/settings.js';
import { useActions, useApp, useAppShallow, useI18n } from '../store/context.js';

/** The language and theme selects (named "Language" and "Theme"). */
function Pickers() {
  const { t } = useI18n();
  const actions = useActions();
  const { language, theme } = useAppShallow((state) => ({
    language: state.settings.language,
    theme: state.settings.theme,
  }));
  const id = useId();
  return (
    <>
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
    </>
  );
}

/**
 * Language and theme pickers: inline (the sign-in page), or in the mailbox toolbar behind a button
 * "Language and theme" that shows the current language in its own name (so a reader of another
 * language still finds it) — the two selects took about 200 px and made the toolbar two rows at
 * 1280 px. The panel is a disclosure (aria-expanded, aria-controls); Escape or a click elsewhere
 * closes it, Escape giving focus back to the button.
 */
export function Preferences({ menu = false }: { menu?: boolean }) {
  const { t } = useI18n();
  const language = useApp((state) => state.settings.language);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);
  if (!menu)
    return (
      <div className="preferences">
        <Pickers />
      </div>
    );
  const name = languages.find((entry) => entry.code === language)?.name ?? language;
  return (
    <div
      ref={root}
      className="preferences menu"
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return;
        // Not the list's Escape (closing the open message).
        event.preventDefault();
        setOpen(false);
        button.current?.focus();
      }}
    >
      <button
        ref={button}
        type="button"
        className="button ghost"
        aria-label="Language and theme"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        title={`${t('app.language')} · ${t('app.theme')}`}
        onClick={() => setOpen(!open)}
      >
        <span lang={language}>{name}</span> ▾
      </button>
      <div id={`${id}-panel`} className="preferences-panel" hidden={!open}>
        <Pickers />
      </div>
    </div>
  );
}
