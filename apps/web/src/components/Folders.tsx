import type { FolderView } from '../store/mailbox-slice.js';
import { useActions, useApp, useAppShallow, useI18n } from '../store/context.js';
import { selectCounts, selectSelectedRows } from '../store/selectors.js';

const folders: readonly FolderView[] = ['inbox', 'drafts', 'sent', 'archive', 'trash'];
const names = { inbox: 'Inbox', drafts: 'Drafts', sent: 'Sent', archive: 'Archive', trash: 'Trash' } as const;

/**
 * The "Folders" navigation: Inbox, Drafts and Sent (compose, on this device), Archive, Trash; also in
 * the read-only mailbox of "Open saved mail", whose rows are every folder's.
 */
export function FolderNav() {
  const { t } = useI18n();
  const actions = useActions();
  const { folder, available } = useAppShallow((state) => ({
    folder: state.folder,
    available: state.device.account !== undefined || state.session.kind === 'offline',
  }));
  if (!available) return null;
  return (
    <nav className="folders" aria-label="Folders">
      {folders.map((entry) => (
        <a
          key={entry}
          href={`#${entry}`}
          aria-label={names[entry]}
          aria-current={entry === folder ? 'page' : undefined}
          onClick={(event) => {
            event.preventDefault();
            actions.showFolder(entry);
          }}
        >
          {t(`folders.${entry}`)}
        </a>
      ))}
    </nav>
  );
}

/**
 * Archive (in the Inbox), Restore (in Archive and Trash; Sent stays Sent) for the selected messages, and Empty trash,
 * for the folder shown.
 */
export function FolderActions() {
  const { t } = useI18n();
  const actions = useActions();
  // The rows are scanned once per rows array (selectCounts), not on every store change: a scan of
  // 10,000 rows here ran on each of them and was 22 ms of one 162 ms task while the search worker
  // indexed (pnpm bench search-page).
  const { folder, movable, trashFull, available } = useAppShallow((state) => {
    return {
      folder: state.folder,
      movable: selectSelectedRows(state).some((row) => row.uid !== undefined && !row.deleted),
      trashFull: selectCounts(state).trash > 0,
      available: state.device.account !== undefined,
    };
  });
  const open = useApp((state) => state.session.kind === 'open');
  if (!available) return null;
  return (
    <>
      {folder === 'inbox' && (
        <button
          type="button"
          className="button"
          aria-label="Archive"
          aria-keyshortcuts="E"
          disabled={!movable}
          onClick={() => actions.moveSelected('archive')}
        >
          {t('folders.archiveButton')}
        </button>
      )}
      {(folder === 'archive' || folder === 'trash') && (
        <button
          type="button"
          className="button"
          aria-label="Restore"
          disabled={!movable}
          onClick={() => actions.moveSelected('inbox')}
        >
          {t('folders.restore')}
        </button>
      )}
      {folder === 'trash' && (
        <button
          type="button"
          className="button"
          aria-label="Empty trash"
          disabled={!trashFull || !open}
          onClick={() => void actions.emptyTrash()}
        >
          {t('folders.emptyTrash')}
        </button>
      )}
    </>
  );
}
