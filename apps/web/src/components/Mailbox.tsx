import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useActions, useApp, useAppShallow, useI18n, useVisibleRows } from '../store/context.js';
import { selectAccount, selectCounts, selectSelectedRows } from '../store/selectors.js';
import { ErrorText } from './ErrorText.js';
import { Icon } from './Icon.js';
import { MessageList } from './MessageList.js';
import { AccountSettingsButton } from './AccountSettings.js';
import { DeviceStatus } from './DeviceStatus.js';
import { ExportImport, TransferStatus } from './ExportImport.js';
import { FolderActions, FolderNav } from './Folders.js';
import { Preferences } from './Preferences.js';
import { useShortcuts } from './use-shortcuts.js';
import { ShortcutsButton, ShortcutsHelp } from './ShortcutsHelp.js';
import { Brand } from './Brand.js';
import { ComposeButton } from '../compose/ui/ComposeButtons.js';
import { ComposeDialog } from '../compose/ui/ComposeDialog.js';
import { DraftList } from '../compose/ui/DraftList.js';
import { SignOutLabel } from '../accounts/SignOutLabel.js';
import { accountFullName, accountLabel, appearanceOf } from '../accounts/appearance.js';

// The reader (with DOMPurify) loads on first use, keeping the app shell small.
const Reader = lazy(() => import('./Reader.js'));

function Toolbar({ onShortcuts }: { onShortcuts: () => void }) {
  const { t, language } = useI18n();
  const actions = useActions();
  const { account, appearance, ready, logOpen, deletable } = useAppShallow((state) => ({
    account: selectAccount(state),
    appearance: appearanceOf(state),
    ready: state.session.kind === 'open',
    logOpen: state.logOpen,
    deletable: selectSelectedRows(state).some((row) => !row.deleted),
  }));
  return (
    <header className="toolbar">
      <Brand />
      {account && (
        <span className="account" title={[accountFullName(language, account), ...account.notes].join('\n')}>
          <span
            className={account.encrypted ? 'lock on' : 'lock off'}
            role="img"
            aria-label={account.encrypted ? t('toolbar.encrypted') : t('toolbar.unencrypted')}
            title={
              account.encrypted
                ? `${t('toolbar.encrypted')}${account.tlsProtocol ? ` (${account.tlsProtocol})` : ''}`
                : account.link.kind === 'unencrypted'
                  ? t('toolbar.unencryptedLegs', {
                      legs: account.link.legs.map((leg) => t(`toolbar.leg.${leg}`)).join(', '),
                    })
                  : t('toolbar.unencrypted')
            }
          >
            <Icon name={account.encrypted ? 'lock' : 'unlock'} />
          </span>
          <span className="account-name" dir="auto">
            {accountLabel(language, account, appearance)}
          </span>
        </span>
      )}
      <div className="toolbar-actions">
        <ComposeButton />
        <button
          type="button"
          className="button"
          aria-label="Delete"
          aria-keyshortcuts="Delete Shift+3"
          title={t('delete.button')}
          disabled={!ready || !deletable}
          onClick={() => void actions.deleteSelected()}
        >
          <Icon name="trash" />
          <span className="label">{t('delete.button')}</span>
        </button>
        <FolderActions />
        <button
          type="button"
          className="button"
          aria-label="Refresh"
          aria-keyshortcuts="R"
          title={t('toolbar.refresh')}
          disabled={!ready}
          onClick={() => void actions.refresh()}
        >
          <Icon name="refresh" />
          <span className="label">{t('toolbar.refresh')}</span>
        </button>
        <button
          type="button"
          className="button"
          aria-label="Protocol log"
          aria-pressed={logOpen}
          title={t('toolbar.protocolLog')}
          onClick={() => actions.toggleLog()}
        >
          <Icon name="terminal" />
          <span className="label">{t('toolbar.protocolLog')}</span>
        </button>
        <ShortcutsButton onClick={onShortcuts} />
        <ExportImport />
        <AccountSettingsButton />
        <Preferences menu />
      </div>
      <button
        type="button"
        className="button ghost sign-out"
        aria-label="Sign out"
        onClick={() => void actions.signOut()}
      >
        <SignOutLabel />
      </button>
    </header>
  );
}

/** Session trouble (a drop, a failed refresh) and what is going on (refreshing, reconnecting). */
function SessionBanner() {
  const { t } = useI18n();
  const actions = useActions();
  const session = useApp((state) => state.session);
  switch (session.kind) {
    case 'broken':
      return (
        <div className="banner error" role="alert">
          <div>
            <strong>{t(session.why === 'refresh' ? 'session.refreshFailed' : 'session.dropped')}</strong>{' '}
            <ErrorText error={session.error} />
            {session.lostDeletions > 0 && (
              <p className="lost-deletes">{t('delete.notCommitted', { count: session.lostDeletions })}</p>
            )}
          </div>
          <button type="button" className="button primary" onClick={() => void actions.reconnect()}>
            {t('session.reconnect')}
          </button>
        </div>
      );
    case 'offline':
      return (
        <div className="banner info" role="status">
          <span>
            {t(
              session.why === 'unreachable' ? 'offline.readOnly.unreachable' : 'offline.readOnly.notSignedIn',
            )}
          </span>
          <button type="button" className="button primary" onClick={() => void actions.signOut()}>
            {t('offline.signIn')}
          </button>
        </div>
      );
    case 'reopening':
      return (
        <div className="banner info" role="status">
          <span className="spinner" aria-hidden="true" />
          {t(session.why === 'refresh' ? 'session.refreshing' : 'session.reconnecting')}
        </div>
      );
    default:
      return null;
  }
}

/** The deletion notice (with Undo) and short-lived notices. */
function Notices() {
  const { t } = useI18n();
  const actions = useActions();
  const { notice, deletedCount, ready } = useAppShallow((state) => ({
    notice: state.notice,
    deletedCount: selectCounts(state).deleted,
    ready: state.session.kind === 'open',
  }));
  useEffect(() => {
    if (!notice || notice.tone !== 'info' || notice.key === 'delete.marked') return;
    const timer = setTimeout(() => actions.dismissNotice(), 6000);
    return () => clearTimeout(timer);
  }, [notice, actions]);
  const showNotice = notice && notice.key !== 'delete.marked';
  return (
    <div className="notices" role="status" aria-live="polite">
      {deletedCount > 0 && (
        <div className="notice delete-notice">
          <span>
            <strong>{t('delete.marked', { count: deletedCount })}</strong> {t('delete.explain')}
          </span>
          <button
            type="button"
            className="button"
            aria-label="Undo"
            disabled={!ready}
            onClick={() => void actions.undoDeletes()}
          >
            {t('delete.undo')}
          </button>
        </div>
      )}
      {showNotice && (
        <div className={`notice ${notice.tone}`}>
          <span>
            {t(notice.key, notice.params)}
            {notice.extras?.map((extra) => ` ${t(extra.key, extra.params)}`).join('')}
            {notice.error && (
              <>
                {' '}
                <ErrorText error={notice.error} />
              </>
            )}
          </span>
          <button
            type="button"
            className="button ghost icon-only"
            aria-label="Dismiss"
            onClick={() => actions.dismissNotice()}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}

export default function Mailbox() {
  const { t } = useI18n();
  const rows = useVisibleRows();
  const open = useApp((state) => state.open);
  const drafts = useApp((state) => state.folder === 'drafts');
  const [shortcuts, setShortcuts] = useState(false);
  const filterRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  useShortcuts({ rows, filterRef: searchRef, listRef, onHelp: () => setShortcuts((value) => !value) });
  const reading = open !== null;

  return (
    <div className="mailbox" data-reading={reading}>
      <Toolbar onShortcuts={() => setShortcuts((value) => !value)} />
      <SessionBanner />
      <TransferStatus />
      <Notices />
      <DeviceStatus />
      <FolderNav />
      {shortcuts && <ShortcutsHelp onClose={() => setShortcuts(false)} />}
      <ComposeDialog />
      <div className="panes">
        {drafts ? (
          <DraftList />
        ) : (
          <MessageList rows={rows} filterRef={filterRef} searchRef={searchRef} listRef={listRef} />
        )}
        <section className="reader-pane" role="region" aria-label="Message">
          {reading ? (
            <Suspense fallback={<p className="placeholder">{t('reader.parsing')}</p>}>
              <Reader />
            </Suspense>
          ) : (
            <p className="placeholder">{t('reader.empty')}</p>
          )}
        </section>
      </div>
    </div>
  );
}
