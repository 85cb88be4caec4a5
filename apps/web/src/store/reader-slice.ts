import type { ParsedMessage } from '../mime/types.js';
import { describeError, type UiError } from '../session/errors.js';
import type { Runtime, Slice, StoreTools } from './app-state.js';
import { isAbort } from './mail-session.js';
import { keepsInFull, MailStoreError } from '../mailstore/index.js';
import { changeMarks, markRead } from './mailbox-slice.js';
import { rowHeaders, type MessageRow } from './rows.js';
import { savePreferences } from './preferences-slice.js';
import { NotSavedError, savedMessage } from './saved-slice.js';
import { selectAccount, selectRow } from './selectors.js';
import { selectOnly } from './selection.js';

interface OpenBase {
  readonly number: number;
  readonly uid: string | undefined;
  /** The LIST size. */
  readonly size: number;
}

/** What the parser made of a downloaded message. */
export type ParseResult =
  | { readonly kind: 'parsed'; readonly message: ParsedMessage }
  /** Shown as source; `tooComplex` when it is beyond the MIME limits. */
  | { readonly kind: 'unparsed'; readonly reason: string; readonly tooComplex: boolean };

/** The message in the reader, by what can be shown of it. */
export type OpenMessage =
  | (OpenBase & {
      readonly kind: 'loading';
      /** `download`: RETR in progress; `parse`: downloaded, being parsed in the worker. */
      readonly stage: 'download' | 'parse';
      /** Bytes of RETR received so far, of `total` (the LIST size, when known). */
      readonly received: number;
      readonly total: number | undefined;
    })
  | (OpenBase & {
      readonly kind: 'ready';
      readonly raw: Uint8Array;
      readonly result: ParseResult;
      /** "Show images" was clicked for this message. */
      readonly imagesOnce: boolean;
    })
  | (OpenBase & {
      readonly kind: 'failed';
      readonly error: UiError;
      readonly received: number;
      readonly total: number | undefined;
    })
  | (OpenBase & { readonly kind: 'cancelled' });

export interface ReaderSlice {
  readonly open: OpenMessage | null;
  readonly actions: {
    openMessage(number: number): Promise<void>;
    cancelOpen(): void;
    closeMessage(): void;
    showImagesOnce(): void;
    setImagesAlways(address: string, always: boolean): void;
  };
}

export function createReaderSlice(runtime: Runtime): Slice<ReaderSlice> {
  return (set, get) => {
    const tools = { set, get };
    return {
      open: null,
      actions: {
        openMessage: (number) => openMessage(tools, runtime, number),

        cancelOpen() {
          const { open } = get();
          runtime.opening?.abort();
          if (open?.kind === 'loading' && open.stage === 'download') {
            set({ open: { number: open.number, uid: open.uid, size: open.size, kind: 'cancelled' } });
          }
        },

        closeMessage() {
          runtime.opening?.abort();
          runtime.opening = undefined;
          set({ open: null });
        },

        showImagesOnce() {
          const { open } = get();
          if (open?.kind === 'ready') set({ open: { ...open, imagesOnce: true } });
        },

        setImagesAlways(address, always) {
          const normalized = address.trim().toLowerCase();
          if (!normalized) return;
          const list = get().settings.imagesAlways.filter((entry) => entry !== normalized);
          savePreferences(tools, runtime, { imagesAlways: always ? [...list, normalized] : list });
          const { open } = get();
          if (!always && open?.kind === 'ready') set({ open: { ...open, imagesOnce: false } });
        },
      },
    };
  };
}

/**
 * RETR (in the engine's urgent lane, ahead of a listing's TOPs), progress, parse, mark read. Whoever
 * replaces or closes the message aborts `runtime.opening` and sets the state; this only checks that.
 */
export async function openMessage(tools: StoreTools, runtime: Runtime, number: number): Promise<void> {
  const { set, get } = tools;
  const session = runtime.session;
  const row = selectRow(get(), number);
  if (!row) return;
  const { kind } = get().session;
  const offline = kind === 'offline';
  if (!offline && (!session || kind !== 'open')) {
    // During a reconnect or refresh: selected now, opened when the new session has listed it.
    if (kind === 'reopening') set({ ...selectOnly(number), openWhenListed: true });
    return;
  }
  const current = get().open;
  if (current && current.number === number && (current.kind === 'loading' || current.kind === 'ready')) {
    set(selectOnly(number));
    return;
  }
  runtime.opening?.abort();
  const controller = new AbortController();
  runtime.opening = controller;
  const { signal } = controller;
  const base = { number, uid: row.uid, size: row.size };
  set({
    ...selectOnly(number),
    open: { ...base, kind: 'loading', stage: 'download', received: 0, total: row.size },
  });
  let progressTimer: ReturnType<typeof setTimeout> | undefined;
  let progress = { received: 0, total: row.size as number | undefined };
  const stopProgress = () => {
    if (progressTimer !== undefined) clearTimeout(progressTimer);
    progressTimer = undefined;
  };
  const retrieve = async (): Promise<Uint8Array> => {
    const bytes = await session!.run((client) =>
      client.retr(number, {
        signal,
        urgent: true,
        onProgress: (received, total) => {
          progress = { received, total: total ?? row.size };
          progressTimer ??= setTimeout(() => {
            progressTimer = undefined;
            const latest = get().open;
            if (!signal.aborted && latest?.kind === 'loading') set({ open: { ...latest, ...progress } });
          }, runtime.flushMs);
        },
      }),
    );
    void keepOpened(tools, runtime, row, bytes);
    return bytes;
  };
  try {
    const raw = offline
      ? await savedMessage(runtime, selectAccount(get())?.key, row.uid)
      : ((await savedBytes(runtime, tools, row)) ?? (await retrieve()));
    stopProgress();
    if (signal.aborted) return;
    set({ open: { ...base, kind: 'loading', stage: 'parse', received: raw.length, total: progress.total } });
    markRead(tools, runtime, [number], true);
    let result: ParseResult;
    try {
      result = { kind: 'parsed', message: await runtime.deps.parseMessage(raw, signal) };
    } catch (error) {
      if (isAbort(error)) return;
      result = {
        kind: 'unparsed',
        reason: error instanceof Error ? error.message : String(error),
        tooComplex: error instanceof Error && error.name === 'MimeLimitError',
      };
    }
    if (signal.aborted) return;
    set({ open: { ...base, kind: 'ready', raw, result, imagesOnce: false } });
  } catch (error) {
    stopProgress();
    if (signal.aborted) return;
    if (isAbort(error)) {
      set({ open: { ...base, kind: 'cancelled' } });
      return;
    }
    const described =
      error instanceof NotSavedError ? { key: 'offline.notSaved' as const } : describeError(error);
    set({ open: { ...base, ...progress, kind: 'failed', error: described } });
    if (session?.linkEnded) session.drop(error);
  }
}

/** The bytes of a message saved on this device, read from the store instead of RETR. */
async function savedBytes(
  runtime: Runtime,
  tools: StoreTools,
  row: MessageRow,
): Promise<Uint8Array | undefined> {
  const key = tools.get().device.account?.key;
  if (!row.saved || row.uid === undefined || !key) return undefined;
  const store = await runtime.mailStore;
  const bytes = await store?.raw(key, row.uid).catch(() => undefined);
  if (!bytes && !row.onServer)
    throw new MailStoreError('missing', 'the saved copy is no longer on this device');
  return bytes;
}

/**
 * A message downloaded because it was opened is kept when the account's rule wants it in full, so the
 * background download does not fetch it again.
 */
async function keepOpened(
  tools: StoreTools,
  runtime: Runtime,
  row: MessageRow,
  bytes: Uint8Array,
): Promise<void> {
  const account = tools.get().device.account;
  if (!account || row.uid === undefined || row.saved || !keepsInFull(account.settings.keepOnDevice, row.size))
    return;
  const store = await runtime.mailStore;
  try {
    await store?.putRaw(account.key, row.uid, bytes, row.size, rowHeaders(row));
    if (store && selectRow(tools.get(), row.number)?.uid === row.uid) {
      changeMarks(tools, new Map([[row.number, { saved: true }]]));
    }
  } catch {
    // Not kept: the background download tries again, and says why when it cannot.
  }
}

/** The session is ending: a message still downloading or parsing goes; one shown stays. */
export function abandonOpening({ set, get }: StoreTools, runtime: Runtime): void {
  runtime.opening?.abort();
  runtime.opening = undefined;
  if (get().open?.kind === 'loading') set({ open: null });
}
