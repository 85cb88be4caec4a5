import { useActions, useAppShallow, useI18n } from '../store/context.js';
import { selectSelectedRows } from '../store/selectors.js';
import { withConversations } from '../conversations/grouping.js';

/**
 * Above the list: "Select all" (of what is shown) and "Mark all as read"; for the selection its count
 * and "Mark as read", "Mark as unread", "Star" / "Remove star". Delete, Archive and Export in the
 * toolbar act on the same selection.
 */
export function SelectionTools({ shown }: { shown: readonly number[] }) {
  const { t } = useI18n();
  const actions = useActions();
  const { count, anyUnread, anyRead, allStarred, allShownSelected, shownUnread } = useAppShallow((state) => {
    const rows = selectSelectedRows(state);
    return {
      count: rows.length,
      anyUnread: rows.some((row) => !row.read),
      anyRead: rows.some((row) => row.read),
      allStarred: rows.length > 0 && rows.every((row) => row.starred),
      allShownSelected: shown.length > 0 && shown.every((number) => state.selection.has(number)),
      shownUnread: withConversations(state, shown).some((number) => {
        const at = state.rowIndex.get(number);
        return at !== undefined && state.rows[at]?.read === false;
      }),
    };
  });
  return (
    <div className="selection-tools" role="toolbar" aria-label="Selection">
      <button
        type="button"
        className="button ghost"
        aria-label="Select all"
        aria-keyshortcuts="Control+A Meta+A"
        disabled={shown.length === 0 || allShownSelected}
        onClick={() => actions.selectAll(shown)}
      >
        {t('list.selectAll')}
      </button>
      <button
        type="button"
        className="button ghost"
        aria-label="Mark all as read"
        disabled={!shownUnread}
        onClick={() => actions.markAllRead(shown)}
      >
        {t('list.markAllRead')}
      </button>
      {count > 0 && (
        <>
          {count > 1 && <span className="selection-count">{t('list.selectedCount', { count })}</span>}
          <button
            type="button"
            className="button ghost"
            aria-label="Mark as read"
            aria-keyshortcuts="Shift+I"
            disabled={!anyUnread}
            onClick={() => actions.setReadSelected(true)}
          >
            {t('list.markRead')}
          </button>
          <button
            type="button"
            className="button ghost"
            aria-label="Mark as unread"
            aria-keyshortcuts="Shift+U"
            disabled={!anyRead}
            onClick={() => actions.setReadSelected(false)}
          >
            {t('list.markUnread')}
          </button>
          <button
            type="button"
            className="button ghost"
            aria-label={allStarred ? 'Remove star' : 'Star'}
            aria-keyshortcuts="S"
            onClick={() => actions.toggleStarSelected()}
          >
            {t(allStarred ? 'list.unstar' : 'list.star')}
          </button>
        </>
      )}
    </div>
  );
}
