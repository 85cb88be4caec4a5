import { useActions, useAppShallow, useI18n } from '../store/context.js';
import { selectSelectedRows } from '../store/selectors.js';
import { withConversations } from '../conversations/grouping.js';

/** What the selection bar shows, read by its owner's selectors. */
export interface SelectionFacts {
  /** Messages the selection stands for. */
  readonly count: number;
  readonly anyUnread: boolean;
  readonly anyRead: boolean;
  readonly allStarred: boolean;
  readonly allShownSelected: boolean;
  /** Something shown is unread ("Mark all as read"). */
  readonly shownUnread: boolean;
}

export interface SelectionCommands {
  selectAll(): void;
  markAllRead(): void;
  setRead(read: boolean): void;
  toggleStar(): void;
}

/**
 * Above the list: "Select all" (of what is shown) and "Mark all as read"; for the selection its count
 * and "Mark as read", "Mark as unread", "Star" / "Remove star". One account's list and All inboxes
 * each give their own facts and commands.
 */
export function SelectionBar({
  facts,
  commands,
  shownCount,
}: {
  facts: SelectionFacts;
  commands: SelectionCommands;
  shownCount: number;
}) {
  const { t } = useI18n();
  const { count, anyUnread, anyRead, allStarred, allShownSelected, shownUnread } = facts;
  return (
    <div className="selection-tools" role="toolbar" aria-label="Selection">
      <button
        type="button"
        className="button ghost"
        aria-label="Select all"
        aria-keyshortcuts="Control+A Meta+A"
        disabled={shownCount === 0 || allShownSelected}
        onClick={() => commands.selectAll()}
      >
        {t('list.selectAll')}
      </button>
      <button
        type="button"
        className="button ghost"
        aria-label="Mark all as read"
        disabled={!shownUnread}
        onClick={() => commands.markAllRead()}
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
            onClick={() => commands.setRead(true)}
          >
            {t('list.markRead')}
          </button>
          <button
            type="button"
            className="button ghost"
            aria-label="Mark as unread"
            aria-keyshortcuts="Shift+U"
            disabled={!anyRead}
            onClick={() => commands.setRead(false)}
          >
            {t('list.markUnread')}
          </button>
          <button
            type="button"
            className="button ghost"
            aria-label={allStarred ? 'Remove star' : 'Star'}
            aria-keyshortcuts="S"
            onClick={() => commands.toggleStar()}
          >
            {t(allStarred ? 'list.unstar' : 'list.star')}
          </button>
        </>
      )}
    </div>
  );
}

/** One account's selection bar: its selection, its actions. Delete, Archive and Export are in the toolbar. */
export function SelectionTools({ shown }: { shown: readonly number[] }) {
  const actions = useActions();
  const facts = useAppShallow((state): SelectionFacts => {
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
    <SelectionBar
      facts={facts}
      shownCount={shown.length}
      commands={{
        selectAll: () => actions.selectAll(shown),
        markAllRead: () => actions.markAllRead(shown),
        setRead: (read) => actions.setReadSelected(read),
        toggleStar: () => actions.toggleStarSelected(),
      }}
    />
  );
}
