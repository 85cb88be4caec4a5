import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { exportFileTypes } from '../export/formats.js';
import { chooseFileSink } from '../export/save-stream.js';
import type { ExportFormat } from '../export/types.js';
import { useActions, useApp, useAppShallow, useI18n } from '../store/context.js';
import { selectAccount, selectSelectedRows } from '../store/selectors.js';
import { Choice } from './Choice.js';
import type { ExportScope } from '../store/transfer-slice.js';

const scopes = {
  inbox: { kind: 'folder', folder: 'inbox' },
  archive: { kind: 'folder', folder: 'archive' },
  trash: { kind: 'folder', folder: 'trash' },
  sent: { kind: 'folder', folder: 'sent' },
  account: { kind: 'account' },
} as const satisfies Record<string, ExportScope>;
type ScopeName = keyof typeof scopes | 'selection';
const folderScopes = ['inbox', 'archive', 'trash', 'sent'] as const;

const fileNames = {
  inbox: 'Inbox',
  archive: 'Archive',
  trash: 'Trash',
  sent: 'Sent',
  account: 'all',
  selection: 'selected',
} as const;

/** "Export" (a dialog: format, which messages, the save dialog) and "Import" (.eml and mbox files). */
export function ExportImport() {
  const { t } = useI18n();
  const actions = useActions();
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const busy = useApp((state) => state.transfer.kind === 'exporting' || state.transfer.kind === 'importing');
  return (
    <>
      <button
        type="button"
        className="button"
        aria-label="Export"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {t('export.button')}
      </button>
      <button
        type="button"
        className="button"
        aria-label="Import"
        disabled={busy}
        onClick={() => input.current?.click()}
      >
        {t('import.button')}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Import files"
        accept=".eml,.mbox,.mbx,message/rfc822,application/mbox"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          void actions.importMail(files);
        }}
      />
      {open && <ExportDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function ExportDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const actions = useActions();
  const id = useId();
  const [format, setFormat] = useState<ExportFormat>('mbox');
  const account = useApp((state) => selectAccount(state));
  // Several messages selected: the export offers (and starts with) them.
  const selection = useAppShallow((state) =>
    selectSelectedRows(state).flatMap((row) => (row.uid === undefined ? [] : [row.uid])),
  );
  // The folder shown is the first choice (Drafts are not messages yet: then the Inbox).
  const shown = useApp((state) => state.folder);
  const [scope, setScope] = useState<ScopeName>(
    selection.length > 1 ? 'selection' : shown === 'drafts' ? 'inbox' : shown,
  );
  const [count, setCount] = useState<number | null>(null);
  const exportScope: ExportScope = useMemo(
    () => (scope === 'selection' ? { kind: 'messages', uids: selection } : scopes[scope]),
    // useAppShallow keeps the same array while the selected UIDLs stay the same.
    [scope, selection],
  );
  useEffect(() => {
    let live = true;
    setCount(null);
    void actions.countExportable(exportScope).then((value) => live && setCount(value));
    return () => {
      live = false;
    };
  }, [actions, exportScope]);

  const save = async () => {
    // First: the save dialog needs this click's user activation.
    const type = exportFileTypes[format];
    const name = `${account?.username ?? 'mail'} ${fileNames[scope]}${type.extension}`;
    const sink = await chooseFileSink({ suggestedName: name, type });
    if (!sink) return;
    onClose();
    await actions.exportMail(sink, format, exportScope);
  };

  return (
    <div className="export-dialog" role="dialog" aria-label="Export mail" aria-describedby={`${id}-count`}>
      <Choice
        name="Format"
        legend={t('export.format')}
        options={[
          ['mbox', t('export.format.mbox')],
          ['zip', t('export.format.zip')],
        ]}
        value={format}
        onChange={setFormat}
      />
      <Choice
        name="Messages"
        legend={t('export.scope')}
        options={[
          ...folderScopes.map((folder) => [folder, t(`folders.${folder}`)] as const),
          ['account', t('export.scope.account')],
          ...(selection.length > 1
            ? [['selection', t('export.scope.selection', { count: selection.length })] as const]
            : []),
        ]}
        value={scope}
        onChange={setScope}
      />
      <p id={`${id}-count`} className="muted">
        {count === null ? '…' : t('export.count', { count })}
      </p>
      <div className="form-actions">
        <button type="button" className="button primary" disabled={!count} onClick={() => void save()}>
          {t('export.save')}
        </button>
        <button type="button" className="button ghost" onClick={onClose}>
          {t('export.cancel')}
        </button>
      </div>
    </div>
  );
}

/** What an export or import is doing, or did (role status). */
export function TransferStatus() {
  const { t, size } = useI18n();
  const actions = useActions();
  const { transfer } = useAppShallow((state) => ({ transfer: state.transfer }));
  let text: string;
  switch (transfer.kind) {
    case 'idle':
      return null;
    case 'exporting':
      text = t('export.progress', { done: transfer.messages, count: transfer.total });
      break;
    case 'exported':
      text = t('export.done', { count: transfer.messages, size: size(transfer.bytes) });
      break;
    case 'importing':
      text = t('import.progress', { count: transfer.messages });
      break;
    case 'imported':
      text = t('import.done', { count: transfer.messages });
      if (transfer.failedFiles.length > 0)
        text += ` ${t('import.failedFiles', { files: transfer.failedFiles.join(', ') })}`;
      break;
    case 'failed':
      text = `${t(transfer.what === 'export' ? 'export.failed' : 'import.failed')} ${transfer.reason}`;
      break;
  }
  const running = transfer.kind === 'exporting' || transfer.kind === 'importing';
  return (
    <div
      className={transfer.kind === 'failed' ? 'banner error' : 'banner info'}
      role="status"
      aria-label="Export and import"
    >
      <span>{text}</span>
      <button type="button" className="button ghost" onClick={() => actions.cancelTransfer()}>
        {running ? t('export.cancel') : t('transfer.dismiss')}
      </button>
    </div>
  );
}
