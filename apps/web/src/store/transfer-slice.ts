import type { FileSink } from '../export/save-stream.js';
import type { ExportFormat } from '../export/types.js';
import type { Folder, MailStore } from '../mailstore/index.js';
import type { Runtime, Slice, StoreTools } from './app-state.js';
import { showRecords } from './downloads.js';
import { indexRows } from './rows.js';
import { savedRows } from './saved-slice.js';
import { selectAccount } from './selectors.js';

/** What is exported: one folder of the account, all of it, or the selected messages (by UIDL). */
export type ExportScope =
  | { readonly kind: 'folder'; readonly folder: Folder }
  | { readonly kind: 'account' }
  | { readonly kind: 'messages'; readonly uids: readonly string[] };

/** An export or import of the open account, as the mailbox shows it (role status). */
export type TransferState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'exporting'; readonly messages: number; readonly total: number }
  | { readonly kind: 'exported'; readonly messages: number; readonly bytes: number }
  | { readonly kind: 'importing'; readonly messages: number }
  | { readonly kind: 'imported'; readonly messages: number; readonly failedFiles: readonly string[] }
  | { readonly kind: 'failed'; readonly what: 'export' | 'import'; readonly reason: string };

export interface TransferSlice {
  readonly transfer: TransferState;
  readonly actions: {
    /** How many messages of the scope are saved here with their bytes (what an export holds). */
    countExportable(scope: ExportScope): Promise<number>;
    /** Streams the scope's saved messages into the sink (chosen in the click handler: the save dialog). */
    exportMail(sink: FileSink, format: ExportFormat, scope: ExportScope): Promise<void>;
    /** Imports .eml and mbox files into the account's Inbox on this device. */
    importMail(files: ReadonlyArray<Blob & { readonly name: string }>): Promise<void>;
    cancelTransfer(): void;
  };
}

export function createTransferSlice(runtime: Runtime): Slice<TransferSlice> {
  let running: AbortController | undefined;
  const begin = () => {
    running?.abort();
    running = new AbortController();
    return running.signal;
  };
  return (set, get) => ({
    transfer: { kind: 'idle' },
    actions: {
      async countExportable(scope) {
        const store = await runtime.mailStore;
        const account = selectAccount(get());
        return store && account ? exportableCount(store, account.key, scope) : 0;
      },

      async exportMail(sink, format, scope) {
        const store = await runtime.mailStore;
        const account = selectAccount(get());
        if (!store || !account) return;
        const signal = begin();
        const folder = scope.kind === 'folder' ? scope.folder : undefined;
        const total = await exportableCount(store, account.key, scope);
        set({ transfer: { kind: 'exporting', messages: 0, total } });
        try {
          const { runExport, storedItems, exportEncoders } = await import('../export/index.js');
          const done = await runExport({
            items: storedItems(store, account.key, folder, onlyOf(scope)),
            format,
            sink,
            encoders: exportEncoders,
            signal,
            onProgress: ({ messages }) => {
              if (!signal.aborted) set({ transfer: { kind: 'exporting', messages, total } });
            },
          });
          if (!signal.aborted) set({ transfer: { kind: 'exported', ...done } });
        } catch (error) {
          set({
            transfer: signal.aborted
              ? { kind: 'idle' }
              : {
                  kind: 'failed',
                  what: 'export',
                  reason: error instanceof Error ? error.message : String(error),
                },
          });
        }
      },

      async importMail(files) {
        const store = await runtime.mailStore;
        const account = selectAccount(get());
        if (!store || !account || files.length === 0) return;
        const signal = begin();
        set({ transfer: { kind: 'importing', messages: 0 } });
        try {
          const { importFiles, decodeMboxFile } = await import('../export/index.js');
          const result = await importFiles(
            files,
            { importRaw: (bytes, fromLine) => store.importRaw(account.key, bytes, 'inbox', fromLine) },
            decodeMboxFile,
            {
              signal,
              onProgress: ({ messages }) => set({ transfer: { kind: 'importing', messages } }),
            },
          );
          set({
            transfer: {
              kind: 'imported',
              messages: result.messages,
              failedFiles: result.failed.map((failure) => failure.file),
            },
          });
          await showImported({ set, get }, runtime);
        } catch (error) {
          set({
            transfer: signal.aborted
              ? { kind: 'idle' }
              : {
                  kind: 'failed',
                  what: 'import',
                  reason: error instanceof Error ? error.message : String(error),
                },
          });
        }
      },

      cancelTransfer() {
        running?.abort();
        running = undefined;
        set({ transfer: { kind: 'idle' } });
      },
    },
  });
}

async function exportableCount(store: MailStore, account: string, scope: ExportScope): Promise<number> {
  const records = await store.messages(account, scope.kind === 'folder' ? scope.folder : undefined);
  const only = onlyOf(scope);
  return records.filter(
    (record) => record.place !== 'erased' && record.storedBytes > 0 && (!only || only.has(record.uid)),
  ).length;
}

function onlyOf(scope: ExportScope): ReadonlySet<string> | undefined {
  return scope.kind === 'messages' ? new Set(scope.uids) : undefined;
}

/**
 * What was just imported joins the list: a read-only mailbox is read from the store again; an open
 * session's list gets the imported messages as rows kept only on this device, as the next listing would.
 */
async function showImported(tools: StoreTools, runtime: Runtime): Promise<void> {
  const { set, get } = tools;
  const account = selectAccount(get());
  const store = await runtime.mailStore;
  if (!store || !account) return;
  const kind = get().session.kind;
  if (kind === 'open') showRecords(tools, await store.messages(account.key));
  if (kind !== 'offline') return;
  const rows = savedRows(await store.messages(account.key));
  set({ rows, rowIndex: indexRows(rows), listing: { phase: 'done', done: rows.length, total: rows.length } });
}
