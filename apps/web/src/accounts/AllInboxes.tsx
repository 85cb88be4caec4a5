import { useVirtualizer } from '@tanstack/react-virtual';
import { lazy, Suspense, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { senderLabel } from '@webpop/pop3/mail';
import { StoreProvider, useActions, useI18n, useAppShallow } from '../store/context.js';
import { selectRow } from '../store/selectors.js';
import type { AppState } from '../store/app-state.js';
import type { AccountsState } from './accounts-state.js';
import { entryOf } from './accounts-store.js';
import { mergedKey, mergeInboxes, type MergedRow } from './all-inboxes.js';
import { useAccounts } from './context.js';
import { useInboxSources } from './use-inbox-sources.js';
import { Icon } from '../components/Icon.js';

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

/**
 * All inboxes: every signed-in account's Inbox in one list, filtered, sorted and searched together
 * (mergeInboxes), each row with its account's colour and name. A row opens in its own account —
 * its session's RETR, its store's reader — and Delete and Archive act there, under that account's
 * own policies (a delete under "when I delete it here" reaches that account's server at its QUIT).
 */
export function AllInboxes({ accounts }: { accounts: StoreApi<AccountsState> }) {
  const { t, listDate, language } = useI18n();
  const { entries, signedIn, allInboxes, actions } = useAccounts(accounts, (state) => ({
    entries: state.entries,
    signedIn: state.signedIn,
    allInboxes: state.allInboxes,
    actions: state.actions,
  }));
  const { sort, descending } = useAppShallow((state) => ({
    sort: state.settings.sort,
    descending: state.settings.descending,
  }));
  const shown = useMemo(() => entries.filter((entry) => signedIn.includes(entry.id)), [entries, signedIn]);
  const sources = useInboxSources(shown, language);
  const collator = useMemo(
    () => new Intl.Collator(language, { sensitivity: 'base', numeric: true }),
    [language],
  );
  const rows = useMemo(
    () => mergeInboxes(sources, { filter: allInboxes.text, sort, descending, collator }),
    [sources, allInboxes.text, sort, descending, collator],
  );
  const listRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const open = allInboxes.open;
  const openEntry = open ? entryOf({ entries }, open.id) : undefined;
  const isOpen = (merged: MergedRow) => open?.id === merged.source.id && open.number === merged.row.number;

  return (
    <div className="mailbox all-inboxes" data-reading={open !== null}>
      <header className="toolbar">
        <h1 className="all-inboxes-title">{t('accounts.allInboxes')}</h1>
        <input
          type="search"
          className="input"
          aria-label="Search all inboxes"
          placeholder={t('accounts.searchAll')}
          value={allInboxes.text}
          onChange={(event) => void actions.searchAll(event.target.value)}
        />
        <button
          type="button"
          className="button"
          aria-label="Check now"
          title={t('accounts.checkNowHint')}
          onClick={() => actions.checkAll()}
        >
          <Icon name="refresh" />
          <span className="label">{t('accounts.checkNow')}</span>
        </button>
      </header>
      <div className="panes">
        <div className="list" ref={listRef}>
          {rows.length === 0 && <p className="placeholder">{t('accounts.allEmpty')}</p>}
          {
            <div
              role="listbox"
              aria-label="Messages"
              className="list-inner"
              style={{ height: virtualizer.getTotalSize() }}
            >
              {virtualizer.getVirtualItems().map((item) => {
                const merged = rows[item.index]!;
                const { row, source } = merged;
                const sender =
                  row.status === 'loaded'
                    ? senderLabel(row.from) || t('list.unknownSender')
                    : t('list.loadingRow');
                const subject = row.status === 'loaded' ? row.subject || t('list.noSubject') : '';
                return (
                  <div
                    key={mergedKey(merged)}
                    role="option"
                    aria-selected={isOpen(merged)}
                    aria-label={`${source.label}: ${sender} — ${subject}`}
                    className={`all-row${row.read ? '' : ' unread'}${row.deleted ? ' deleted' : ''}`}
                    style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                    onClick={() => void actions.openInAll(source.id, row.number)}
                  >
                    <span className="all-row-account">
                      <span
                        className="account-colour"
                        style={{ background: source.colour }}
                        aria-hidden="true"
                      />
                      <span dir="auto">{source.label}</span>
                    </span>
                    <span className="all-row-sender" dir="auto">
                      {sender}
                    </span>
                    <span className="all-row-subject" dir="auto">
                      {subject}
                    </span>
                    <span className="all-row-date">{listDate(row.date)}</span>
                  </div>
                );
              })}
            </div>
          }
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
