import { useVirtualizer } from '@tanstack/react-virtual';
import {
  lazy,
  memo,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type MouseEvent,
} from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { senderLabel } from '@webpop/pop3/mail';
import { StoreProvider, useActions, useI18n, useAppShallow, type I18n } from '../store/context.js';
import { selectRow } from '../store/selectors.js';
import type { AppState } from '../store/app-state.js';
import { newestDate, type ListEntry } from '../conversations/grouped-list.js';
import type { AccountsState } from './accounts-state.js';
import { entryOf } from './accounts-store.js';
import {
  groupMerged,
  mergedKey,
  mergeInboxes,
  parseMergedKey,
  selectionTargets,
  type MergedRow,
} from './all-inboxes.js';
import { useAccounts } from './context.js';
import { useInboxSources } from './use-inbox-sources.js';
import { Icon } from '../components/Icon.js';
import { SelectionBar, type SelectionFacts } from '../components/SelectionTools.js';
import { ShortcutsButton, ShortcutsHelp } from '../components/ShortcutsHelp.js';
import { useListKeys } from '../components/list-keys.js';
import { itemKeys } from '../components/item-keys.js';
import { useConversationToggle } from '../conversations/use-conversation-toggle.js';

const Reader = lazy(() => import('../components/Reader.js'));

/** Two lines: account and sender, subject and date (CSS .all-row has the same height). */
const ROW_HEIGHT = 56;

/** The open message's own actions, in its own account (the store around it). */
function OpenMessageActions({ number }: { number: number }) {
  const { t } = useI18n();
  const actions = useActions();
  const { row, ready } = useAppShallow((state) => ({
    row: selectRow(state, number),
    ready: state.session.kind === 'open',
  }));
  if (!row) return null;
  return (
    <div className="all-inboxes-actions">
      <button
        type="button"
        className="button"
        aria-label="Delete"
        disabled={!ready || row.deleted}
        onClick={() => void actions.deleteMessage(number)}
      >
        {t('delete.button')}
      </button>
      <button
        type="button"
        className="button"
        aria-label="Archive"
        disabled={row.place !== 'inbox'}
        onClick={() => actions.moveTo(number, 'archive')}
      >
        {t('folders.archiveButton')}
      </button>
    </div>
  );
}

function OpenMessage({ store, number }: { store: StoreApi<AppState>; number: number }) {
  const { t } = useI18n();
  const reading = useStore(store, (state) => state.open !== null);
  return (
    <StoreProvider store={store}>
      <OpenMessageActions number={number} />
      {reading && (
        <Suspense fallback={<p className="placeholder">{t('reader.parsing')}</p>}>
          <Reader />
        </Suspense>
      )}
    </StoreProvider>
  );
}

/** Each once, in the order first seen. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

interface AllRowProps {
  readonly merged: MergedRow;
  readonly entry: ListEntry<MergedRow> | undefined;
  readonly top: number;
  readonly selected: boolean;
  readonly current: boolean;
  readonly open: boolean;
  readonly i18n: I18n;
  readonly onPick: (merged: MergedRow, event: MouseEvent) => void;
  readonly onToggle: (id: string, head: string) => void;
}

/**
 * A row of All inboxes: its account (a conversation's: every account it reached), the sender (a
 * conversation's: who wrote in it), the subject, the date (a conversation's newest).
 */
const AllRow = memo(function AllRow({
  merged,
  entry,
  top,
  selected,
  current,
  open,
  i18n,
  onPick,
  onToggle,
}: AllRowProps) {
  const { t, listDate } = i18n;
  const { row } = merged;
  const conversation = entry?.kind === 'conversation' ? entry : undefined;
  const members = conversation ? conversation.members : [merged];
  const sources = distinct(members.map((member) => member.source.id)).map(
    (id) => members.find((member) => member.source.id === id)!.source,
  );
  const accountLabel = sources.map((one) => one.label).join(', ');
  const sender = conversation
    ? distinct(
        [...members]
          .sort((a, b) => (a.row.date ?? 0) - (b.row.date ?? 0))
          .map((member) => senderLabel(member.row.from) || t('list.unknownSender')),
      ).join(', ')
    : row.status === 'loaded'
      ? senderLabel(row.from) || t('list.unknownSender')
      : t('list.loadingRow');
  const subject = row.status === 'loaded' ? row.subject || t('list.noSubject') : '';
  const unread = members.some((member) => !member.row.read);
  const starred = members.some((member) => member.row.starred);
  const newest = newestDate(members, (member) => member.row.date);
  const classes = ['all-row'];
  if (unread) classes.push('unread');
  if (row.deleted) classes.push('deleted');
  if (selected) classes.push('selected');
  if (current) classes.push('current');
  if (open) classes.push('open');
  if (conversation) classes.push('conversation');
  if (entry?.kind === 'member') classes.push('in-conversation');
  const key = mergedKey(merged);
  const described = [
    conversation &&
      `${t('list.conversation', { count: conversation.members.length })}, ${t(
        conversation.expanded ? 'list.conversationExpanded' : 'list.conversationCollapsed',
      )}`,
    entry?.kind === 'member' && t('list.inConversation'),
    unread && t('list.unread'),
    starred && t('list.starred'),
  ].filter(Boolean);
  return (
    <div
      id={`all-${key}`}
      role="option"
      aria-selected={selected}
      aria-label={`${accountLabel}: ${sender} — ${subject}`}
      aria-description={described.length > 0 ? described.join(', ') : undefined}
      className={classes.join(' ')}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      // Shift-click selects messages, not the text between two clicks.
      onMouseDown={(event) => event.shiftKey && event.preventDefault()}
      onClick={(event) => onPick(merged, event)}
    >
      <span className="all-row-account">
        {conversation && (
          // Mouse only: the option itself takes → and ← (a button inside an option is not reachable).
          <span
            className="disclosure"
            aria-hidden="true"
            onClick={(event) => {
              event.stopPropagation();
              onToggle(conversation.id, key);
            }}
          >
            {conversation.expanded ? '▾' : '▸'}
          </span>
        )}
        {sources.map((one) => (
          <span
            key={one.id}
            className="account-colour"
            style={{ background: one.colour }}
            aria-hidden="true"
          />
        ))}
        <span dir="auto">{accountLabel}</span>
      </span>
      <span className="all-row-sender" dir="auto">
        {sender}
        {conversation && (
          <span className="conversation-count" aria-hidden="true">
            {conversation.members.length}
          </span>
        )}
      </span>
      <span className="all-row-subject" dir="auto">
        {starred && (
          <span className="star-mark" title={t('list.starred')} aria-hidden="true">
            ★{' '}
          </span>
        )}
        {subject}
      </span>
      <span className="all-row-date">{listDate(Number.isFinite(newest) ? newest : undefined)}</span>
    </div>
  );
});

/**
 * All inboxes: every signed-in account's Inbox in one list, filtered, sorted and searched together
 * (mergeInboxes), each row with its account's colour and name. A row opens in its own account —
 * its session's RETR, its store's reader. The list has one account's list's selection (click,
 * Ctrl/Cmd-click, Shift-click, Shift+arrows, x, Select all), its bulk actions (Delete, Archive, read
 * marks, Star: each message in its own account, under that account's own policies), its keyboard and
 * its "Group by conversation" (conversations across accounts: `conversationsAcross`).
 */
export function AllInboxes({ accounts }: { accounts: StoreApi<AccountsState> }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const { entries, signedIn, allInboxes, actions } = useAccounts(accounts, (state) => ({
    entries: state.entries,
    signedIn: state.signedIn,
    allInboxes: state.allInboxes,
    actions: state.actions,
  }));
  const { sort, descending, grouped } = useAppShallow((state) => ({
    sort: state.settings.sort,
    descending: state.settings.descending,
    grouped: state.settings.groupedAllInboxes,
  }));
  const shownEntries = useMemo(
    () => entries.filter((entry) => signedIn.includes(entry.id)),
    [entries, signedIn],
  );
  const sources = useInboxSources(shownEntries, language);
  const collator = useMemo(
    () => new Intl.Collator(language, { sensitivity: 'base', numeric: true }),
    [language],
  );
  const searchingAll = allInboxes.text.trim() !== '';
  const merged = useMemo(
    () => mergeInboxes(sources, { filter: allInboxes.text, sort, descending, collator }),
    [sources, allInboxes.text, sort, descending, collator],
  );
  // Grouping is off while a search ranks hits (as in one account's list).
  const groupedNow = grouped && !searchingAll;
  const { rows, listEntries } = useMemo(() => {
    if (!groupedNow) return { rows: merged, listEntries: new Map<string, ListEntry<MergedRow>>() };
    const list = groupMerged(merged, sources, allInboxes.expanded);
    return { rows: list.rows, listEntries: list.entries };
  }, [groupedNow, merged, sources, allInboxes.expanded]);
  const shown = useMemo(() => rows.map(mergedKey), [rows]);
  const targets = useMemo(
    () => selectionTargets(allInboxes.selection, listEntries).filter((key) => parseMergedKey(key)),
    [allInboxes.selection, listEntries],
  );
  const facts = useMemo((): SelectionFacts => {
    const targetRows = targets.flatMap((key) => {
      const parsed = parseMergedKey(key)!;
      const entry = entryOf({ entries }, parsed.id);
      const row = entry && selectRow(entry.store.getState(), parsed.number);
      return row ? [row] : [];
    });
    return {
      count: targetRows.length,
      anyUnread: targetRows.some((row) => !row.read),
      anyRead: targetRows.some((row) => row.read),
      allStarred: targetRows.length > 0 && targetRows.every((row) => row.starred),
      allShownSelected: shown.length > 0 && shown.every((key) => allInboxes.selection.has(key)),
      shownUnread: merged.some((row) => !row.row.read),
    };
    // `merged` is new whenever an account's rows (their marks) change.
  }, [targets, entries, shown, allInboxes.selection, merged]);
  const deletable = targets.some((key) => {
    const parsed = parseMergedKey(key)!;
    const entry = entryOf({ entries }, parsed.id);
    const row = entry && selectRow(entry.store.getState(), parsed.number);
    return row !== undefined && !row.deleted && entry!.store.getState().session.kind === 'open';
  });

  const archivable = targets.some((key) => {
    const parsed = parseMergedKey(key)!;
    const state = entryOf({ entries }, parsed.id)?.store.getState();
    const row = state && selectRow(state, parsed.number);
    return row !== undefined && !row.deleted && state!.device.account !== undefined;
  });

  const listRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [help, setHelp] = useState(false);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: itemKeys(rows, mergedKey),
  });
  const current = allInboxes.selected;
  const currentIndex = current === null ? -1 : shown.indexOf(current);
  useEffect(() => {
    if (currentIndex >= 0) virtualizer.scrollToIndex(currentIndex, { align: 'auto' });
  }, [currentIndex, virtualizer]);

  const open = allInboxes.open;
  const openEntry = open ? entryOf({ entries }, open.id) : undefined;
  const openKey = open ? `${open.id}:${open.number}` : null;

  // Read at click time, so a new list does not re-render every row for a new callback.
  const shownRef = useRef(shown);
  shownRef.current = shown;
  const onPick = useCallback(
    (row: MergedRow, event: MouseEvent) => {
      const key = mergedKey(row);
      if (event.shiftKey) actions.selectWithInAll(key, 'range', shownRef.current);
      else if (event.ctrlKey || event.metaKey) actions.selectWithInAll(key, 'toggle', shownRef.current);
      else void actions.openInAll(row.source.id, row.row.number);
    },
    [actions],
  );
  const onToggle = useConversationToggle(
    listEntries,
    current,
    (id) => actions.toggleConversationInAll(id),
    (head) => actions.selectInAll(head),
  );

  useListKeys<string>(
    {
      shown,
      current,
      select: (key) => actions.selectInAll(key),
      selectWith: (key, mode) => actions.selectWithInAll(key, mode, shown),
      selectAll: () => actions.selectAllInAll(shown),
      open(key) {
        const parsed = parseMergedKey(key);
        if (parsed) void actions.openInAll(parsed.id, parsed.number);
      },
      archive: () => actions.archiveInAll(targets),
      star: () => actions.toggleStarInAll(targets),
      setRead: (read) => actions.setReadInAll(targets, read),
      delete: () => void actions.deleteInAll(targets),
      refresh: () => actions.checkAll(),
      conversation(opening) {
        if (current === null) return false;
        const entry = listEntries.get(current);
        if (!entry) return false;
        if (entry.kind === 'conversation') {
          if (entry.expanded === opening) return false;
          actions.toggleConversationInAll(entry.id, opening);
          return true;
        }
        if (opening) return false;
        actions.toggleConversationInAll(entry.id, false);
        const head = shown.find((key) => {
          const other = listEntries.get(key);
          return other?.kind === 'conversation' && other.id === entry.id;
        });
        if (head) actions.selectInAll(head);
        return true;
      },
      escape() {
        if (help) setHelp(false);
        else if (open) {
          actions.closeInAll();
          listRef.current?.focus();
        } else return false;
        return true;
      },
      help: () => setHelp((value) => !value),
    },
    searchRef,
    listRef,
  );

  return (
    <div className="mailbox all-inboxes" data-reading={open !== null}>
      <header className="toolbar">
        <h1 className="all-inboxes-title">{t('accounts.allInboxes')}</h1>
        <input
          ref={searchRef}
          type="search"
          className="input"
          aria-label="Search all inboxes"
          aria-keyshortcuts="/"
          placeholder={t('accounts.searchAll')}
          value={allInboxes.text}
          onChange={(event) => void actions.searchAll(event.target.value)}
        />
        <button
          type="button"
          className="button ghost icon-only"
          aria-label="Group by conversation"
          aria-pressed={grouped}
          title={t('list.groupByConversation')}
          disabled={searchingAll}
          onClick={() => actions.setGroupedAll(!grouped)}
        >
          <Icon name="conversation" />
        </button>
        <div className="toolbar-actions">
          <button
            type="button"
            className="button"
            aria-label="Delete"
            aria-keyshortcuts="Delete Shift+3"
            title={t('delete.button')}
            disabled={!deletable}
            onClick={() => void actions.deleteInAll(targets)}
          >
            <Icon name="trash" />
            <span className="label">{t('delete.button')}</span>
          </button>
          <button
            type="button"
            className="button"
            aria-label="Archive"
            aria-keyshortcuts="E"
            disabled={!archivable}
            onClick={() => actions.archiveInAll(targets)}
          >
            {t('folders.archiveButton')}
          </button>
          <button
            type="button"
            className="button"
            aria-label="Check now"
            aria-keyshortcuts="R"
            title={t('accounts.checkNowHint')}
            onClick={() => actions.checkAll()}
          >
            <Icon name="refresh" />
            <span className="label">{t('accounts.checkNow')}</span>
          </button>
          <ShortcutsButton onClick={() => setHelp((value) => !value)} />
        </div>
      </header>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
      <div className="panes">
        <div className="list-pane">
          <SelectionBar
            facts={facts}
            shownCount={shown.length}
            commands={{
              selectAll: () => actions.selectAllInAll(shown),
              markAllRead: () =>
                actions.setReadInAll(
                  merged.map((row) => mergedKey(row)),
                  true,
                ),
              setRead: (read) => actions.setReadInAll(targets, read),
              toggleStar: () => actions.toggleStarInAll(targets),
            }}
          />
          <div
            className="list"
            ref={listRef}
            role="listbox"
            aria-label="Messages"
            aria-multiselectable="true"
            tabIndex={0}
            aria-activedescendant={currentIndex >= 0 ? `all-${current}` : undefined}
          >
            {rows.length === 0 ? (
              <p className="placeholder" role="presentation">
                {t('accounts.allEmpty')}
              </p>
            ) : (
              <div className="list-inner" style={{ height: virtualizer.getTotalSize() }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const row = rows[item.index];
                  if (!row) return null;
                  const key = mergedKey(row);
                  return (
                    <AllRow
                      key={item.key}
                      merged={row}
                      entry={listEntries.get(key)}
                      top={item.start}
                      selected={allInboxes.selection.has(key)}
                      current={key === current}
                      open={key === openKey}
                      i18n={i18n}
                      onPick={onPick}
                      onToggle={onToggle}
                    />
                  );
                })}
              </div>
            )}
          </div>
        </div>
        <section className="reader-pane" role="region" aria-label="Message">
          {open && openEntry ? (
            <OpenMessage store={openEntry.store} number={open.number} />
          ) : (
            <p className="placeholder">{t('reader.empty')}</p>
          )}
        </section>
      </div>
    </div>
  );
}
