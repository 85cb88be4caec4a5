import { useEffect, useRef } from 'react';
import { useI18n } from '../store/context.js';

/** The `?` help: the list's keys (`useListKeys`), the same in one account's list and in All inboxes. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const rows: Array<[string[], Parameters<typeof t>[0]]> = [
    [['j', 'k', '↓', '↑'], 'shortcuts.move'],
    [['Shift+↓', 'Shift+↑'], 'shortcuts.extend'],
    [['x'], 'shortcuts.select'],
    [['→', '←'], 'shortcuts.conversation'],
    [['Ctrl+A', '⌘A'], 'shortcuts.selectAll'],
    [['Enter'], 'shortcuts.open'],
    [['e'], 'shortcuts.archive'],
    [['s'], 'shortcuts.star'],
    [['Shift+I'], 'shortcuts.markRead'],
    [['Shift+U'], 'shortcuts.markUnread'],
    [['Delete', '#'], 'shortcuts.delete'],
    [['r'], 'shortcuts.refresh'],
    [['/'], 'shortcuts.search'],
    [['Esc'], 'shortcuts.close'],
  ];
  return (
    <div
      className="dialog"
      role="dialog"
      aria-modal="false"
      aria-label="Keyboard shortcuts"
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
    >
      <h2>{t('shortcuts.title')}</h2>
      <dl className="shortcuts">
        {rows.map(([keys, key]) => (
          <div key={key}>
            <dt>
              {keys.map((name) => (
                <kbd key={name}>{name}</kbd>
              ))}
            </dt>
            <dd>{t(key)}</dd>
          </div>
        ))}
      </dl>
      <button ref={closeRef} type="button" className="button" onClick={onClose}>
        {t('log.close')}
      </button>
    </div>
  );
}

/** The toolbar's `?` button that opens and closes the help, the same in both lists. */
export function ShortcutsButton({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="button ghost icon-only"
      aria-label="Keyboard shortcuts"
      title={t('toolbar.shortcuts')}
      aria-keyshortcuts="Shift+?"
      onClick={onClick}
    >
      ?
    </button>
  );
}
