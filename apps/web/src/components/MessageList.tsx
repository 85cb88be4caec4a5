import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useId, useMemo, useRef, type MouseEvent, type RefObject } from 'react';
import { senderLabel } from '@webpop/pop3/mail';
import { Highlight } from '../search/Highlight.js';
import { Icon } from './Icon.js';
import { itemKeys, RowSlots } from './item-keys.js';
import { ListField } from './ListField.js';
import { SelectionTools } from './SelectionTools.js';
import { SearchBox, SearchStatus } from '../search/SearchBox.js';
import type { MessageSummary, SearchHit } from '../search/search-index.js';
import { searching } from '../search/search-slice.js';
import { fieldMarksOf } from '../search/field-marks.js';
import type { SearchQuery } from '../search/query.js';
import { useActions, useAppShallow, useI18n, type I18n } from '../store/context.js';
import type { MessageRow } from '../store/rows.js';
import { newestDate, type ListEntry } from '../conversations/grouped-list.js';
import { groupedAccount, listEntries } from '../conversations/grouping.js';
import { useConversationToggle } from '../conversations/use-conversation-toggle.js';
import { positionIn, selectCounts } from '../store/selectors.js';
import type { SortKey } from '../store/settings.js';

const rowNumber = (row: MessageRow) => row.number;

/** Three lines: sender, subject, the snippet (CSS .row has the same height). */
const ROW_HEIGHT = 80;

interface RowProps {
  readonly row: MessageRow;
  /** In the selection. */
  readonly selected: boolean;
  /** The current message (the keyboard's place). */
  readonly current: boolean;
  readonly open: boolean;
  readonly i18n: I18n;
  readonly top: number;
  readonly position: number;
  readonly count: number;
  /** A click: plain opens it, Ctrl/Cmd toggles it in the selection, Shift selects the range to it. */
  readonly onPick: (number: number, event: MouseEvent) => void;
  /** Headers are still being fetched (a pending row after the listing ended will not fill in). */
  readonly loading: boolean;
  /** While searching: what matched this message. */
  readonly hit: SearchHit | undefined;
  /** From the search index: the first words of its text, whether it has attachments. */
  readonly summary: MessageSummary | undefined;
  /** Grouped by conversation: the conversation this row heads, or that it is inside an open one. */
  readonly entry: ListEntry | undefined;
  /** While searching: the query, for which words mark which field. */
  readonly query: SearchQuery | undefined;
  /** Opens or closes the conversation this row heads. */
  readonly onToggle: (id: string, head: number) => void;
}

/** A conversation row's sender line: who wrote in it, oldest first, each once. */
function participants(members: readonly MessageRow[], unknown: string): string {
  const names: string[] = [];
  for (const member of [...members].sort((a, b) => (a.date ?? 0) - (b.date ?? 0))) {
    const name = senderLabel(member.from) || unknown;
    if (!names.includes(name)) names.push(name);
  }
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ');
}

const Row = memo(function Row({
  row,
  selected,
  current,
  open,
  i18n,
  top,
  position,
  count,
  onPick,
  loading,
  hit,
  summary,
  entry,
  onToggle,
  query,
}: RowProps) {
  const { t } = i18n;
  const marks = fieldMarksOf(query, hit?.terms);
  const conversation = entry?.kind === 'conversation' ? entry : undefined;
  const sender = conversation
    ? participants(conversation.members, t('list.unknownSender'))
    : row.status === 'pending'
      ? t(loading ? 'list.loadingRow' : 'list.unavailable')
      : row.status === 'failed'
        ? t('list.unavailable')
        : senderLabel(row.from) || t('list.unknownSender');
  const subject = row.status === 'loaded' ? row.subject || t('list.noSubject') : '';
  const unread = conversation ? conversation.members.some((member) => !member.read) : !row.read;
  const newest = conversation ? newestDate(conversation.members, (member) => member.date) : row.date;
  const hasAttachment = summary?.hasAttachment || row.attachment === true;
  // A message kept as headers only: its first lines (TOP n 10), or that there is nothing more here.
  const snippet =
    hit?.snippet ||
    summary?.snippet ||
    (row.preview === undefined ? '' : row.preview || t('list.previewNone'));
  const classes = ['row'];
  if (conversation) classes.push('conversation');
  if (entry?.kind === 'member') classes.push('in-conversation');
  if (unread) classes.push('unread');
  if (row.deleted) classes.push('deleted');
  if (selected) classes.push('selected');
  if (current) classes.push('current');
  if (open) classes.push('open');
  if (row.status === 'pending') classes.push('pending');
  return (
    <div
      id={`message-${row.number}`}
      role="option"
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={count}
      className={classes.join(' ')}
      style={{ transform: `translateY(${top}px)` }}
      // Shift-click selects messages, not the text between two clicks.
      onMouseDown={(event) => event.shiftKey && event.preventDefault()}
      onClick={(event) => onPick(row.number, event)}
    >
      <div className="row-line">
        <span className="unread-dot" aria-hidden="true" />
        {conversation && (
          // Mouse only: the option itself takes → and ← (a button inside an option is not reachable).
          <span
            className="disclosure"
            aria-hidden="true"
            onClick={(event) => {
              event.stopPropagation();
              onToggle(conversation.id, row.number);
            }}
          >
            {conversation.expanded ? '▾' : '▸'}
          </span>
        )}
        <span className="sender" dir="auto">
          <Highlight text={sender} terms={marks?.sender} />
        </span>
        {conversation && (
          <span className="conversation-count" aria-hidden="true">
            {conversation.members.length}
          </span>
        )}
        {hit?.headersOnly && <span className="badge">{t('search.headersOnlyBadge')}</span>}
        {row.isNew && <span className="badge">{t('list.new')}</span>}
        {row.starred && (
          <span className="star-mark" title={t('list.starred')} aria-hidden="true">
            ★
          </span>
        )}
        {!row.onServer && <span className="badge">{t('device.keptHere')}</span>}
        <span className="date">{i18n.listDate(Number.isFinite(newest) ? newest : undefined)}</span>
      </div>
      <div className="row-line">
        <span className="subject" dir="auto">
          <Highlight text={subject} terms={marks?.subject} />
        </span>
        {row.headersCut && (
          <span
            className="badge"
            title={t('list.headersCut', { kb: Math.round(row.headersCut.shown / 1024) })}
          >
            {t('list.headersCutBadge')}
          </span>
        )}
        {hasAttachment && (
          // A line icon, not the 📎 emoji: Chromium without an emoji font drew an empty box.
          <span className="attachment-mark" title={t('list.hasAttachments')} aria-hidden="true">
            <Icon name="clip" />
          </span>
        )}
        <span className="size">{i18n.size(row.size)}</span>
      </div>
      <div className="row-line snippet" dir="auto">
        <Highlight text={snippet} terms={marks?.body} lead />
      </div>
      {(unread || row.starred || row.deleted || hasAttachment || entry) && (
        <span className="visually-hidden">
          {conversation &&
            `, ${t('list.conversation', { count: conversation.members.length })}, ${t(
              conversation.expanded ? 'list.conversationExpanded' : 'list.conversationCollapsed',
            )}`}
          {entry?.kind === 'member' && `, ${t('list.inConversation')}`}
          {unread && `, ${t('list.unread')}`}
          {row.starred && `, ${t('list.starred')}`}
          {row.deleted && `, ${t('list.deleted')}`}
          {hasAttachment && `, ${t('list.hasAttachments')}`}
        </span>
      )}
    </div>
  );
});

const sortKeys: readonly SortKey[] = ['date', 'sender', 'subject', 'size'];

export function MessageList({
  rows,
  filterRef,
  searchRef,
  listRef,
}: {
  rows: readonly MessageRow[];
  filterRef: RefObject<HTMLInputElement | null>;
  searchRef: RefObject<HTMLInputElement | null>;
  listRef: RefObject<HTMLDivElement | null>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const actions = useActions();
  const id = useId();
  const {
    selected,
    selection,
    openNumber,
    filter,
    sort,
    descending,
    listing,
    total,
    search,
    isSearching,
    grouped,
  } = useAppShallow((state) => ({
    grouped: groupedAccount(state),
    search: state.search,
    isSearching: searching(state),
    selected: state.selected,
    selection: state.selection,
    openNumber: state.open?.number ?? null,
    filter: state.filter,
    sort: state.settings.sort,
    descending: state.settings.descending,
    listing: state.listing,
    total: selectCounts(state).total,
  }));

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: itemKeys(rows, rowNumber),
  });

  // Keep the selected row in view (keyboard navigation, and after sorting or filtering).
  const selectedIndex = positionIn(rows, selected);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const hits = useMemo(
    () => (isSearching ? new Map(search.hits.map((hit) => [hit.uid, hit])) : undefined),
    [isSearching, search.hits],
  );

  const shown = useMemo(() => rows.map((row) => row.number), [rows]);
  // Read at click time, so a new list does not re-render every row for a new callback.
  const shownRef = useRef(shown);
  shownRef.current = shown;
  const onPick = useCallback(
    (number: number, event: MouseEvent) => {
      if (event.shiftKey) actions.selectWith(number, 'range', shownRef.current);
      else if (event.ctrlKey || event.metaKey) actions.selectWith(number, 'toggle', shownRef.current);
      else void actions.openMessage(number);
    },
    [actions],
  );

  const entries = listEntries(rows);
  const onToggle = useConversationToggle(
    entries,
    selected,
    (id) => actions.toggleConversation(id),
    (head) => actions.select(head),
  );

  const slots = useRef<RowSlots>(null);
  slots.current ??= new RowSlots();
  const virtualItems = virtualizer.getVirtualItems();
  const keys = slots.current.assign(virtualItems.map((item) => item.index));

  const loading = listing.phase === 'listing' || listing.phase === 'headers';
  const active = selectedIndex >= 0 ? `message-${selected}` : undefined;

  return (
    <div className="list-pane">
      <h2 id={`${id}-heading`} className="visually-hidden">
        {t('list.heading')}
      </h2>
      <SearchBox inputRef={searchRef} listRef={listRef} />
      <div className="list-tools">
        <ListField
          inputRef={filterRef}
          label="Filter"
          placeholder={t('list.filterPlaceholder')}
          value={filter}
          onChange={actions.setFilter}
          listRef={listRef}
        />
        <label className="visually-hidden" htmlFor={`${id}-sort`}>
          {t('list.sortBy')}
        </label>
        <select
          id={`${id}-sort`}
          className="compact"
          aria-label="Sort by"
          value={sort}
          onChange={(event) => actions.setSort(event.target.value as SortKey)}
        >
          {sortKeys.map((key) => (
            <option key={key} value={key}>
              {t(`list.sort.${key}`)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button ghost icon-only"
          aria-label="Group by conversation"
          aria-pressed={grouped}
          title={t('list.groupByConversation')}
          disabled={isSearching}
          onClick={() => actions.setGrouped(!grouped)}
        >
          <Icon name="conversation" />
        </button>
        <button
          type="button"
          className="button ghost icon-only"
          aria-label={descending ? 'Descending' : 'Ascending'}
          title={t(descending ? 'list.descending' : 'list.ascending')}
          onClick={() => actions.setSort(sort, !descending)}
        >
          {descending ? '↓' : '↑'}
        </button>
      </div>
      <SearchStatus shown={rows.length} />
      <SelectionTools shown={shown} />
      <div className="list-status">
        {loading ? (
          <>
            <span>
              {listing.phase === 'listing'
                ? t('list.listing')
                : t('list.loadingHeaders', { done: listing.done, total: listing.total })}
            </span>
            <progress
              aria-label="Loading messages"
              max={listing.total || undefined}
              value={listing.phase === 'headers' ? listing.done : undefined}
            />
          </>
        ) : isSearching ? null : (
          // While a search is on, the search status above counts the results alone (as Gmail's
          // "1–50 of N" and Thunderbird's quick filter do), not the folder's messages beside them.
          <span>
            {filter.trim()
              ? t('list.filtered', { shown: rows.length, count: total })
              : t('list.count', { count: total })}
          </span>
        )}
      </div>
      <div
        ref={listRef}
        className="list"
        role="listbox"
        aria-label="Messages"
        aria-multiselectable="true"
        tabIndex={0}
        aria-activedescendant={active}
        aria-busy={loading}
      >
        {rows.length === 0 && !loading ? (
          <p className="placeholder" role="presentation">
            {isSearching ? t('search.none') : filter.trim() ? t('list.noMatches') : t('list.empty')}
          </p>
        ) : (
          <div className="list-inner" style={{ height: virtualizer.getTotalSize() }}>
            {virtualItems.map((item, at) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <Row
                  key={keys[at]}
                  row={row}
                  top={item.start}
                  position={item.index + 1}
                  count={rows.length}
                  selected={selection.has(row.number)}
                  current={row.number === selected}
                  open={row.number === openNumber}
                  i18n={i18n}
                  onPick={onPick}
                  loading={loading}
                  hit={row.uid === undefined ? undefined : hits?.get(row.uid)}
                  summary={row.uid === undefined ? undefined : search.summaries.get(row.uid)}
                  entry={entries.get(row.number)}
                  query={isSearching ? search.query : undefined}
                  onToggle={onToggle}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
