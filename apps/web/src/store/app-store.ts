import type { FetchEachResult, MessageEntry } from '@webpop/pop3';
import type { HeaderSummary, MailAddress } from '@webpop/pop3/mail';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CachedHeaders, MailCache } from '../cache/mail-cache.js';
import { loadLanguage, type Language, type MessageKey, type Params } from '../i18n/index.js';
import { summarizeHeaders } from '../mime/headers.js';
import type { ParsedMessage } from '../mime/types.js';
import { describeError, type ErrorPhase, type UiError } from '../session/errors.js';
import {
  accountKey,
  serverLabel,
  type Connect,
  type ConnectHooks,
  type MailClient,
  type ServerInfo,
  type ServerList,
  type SignInParams,
  type UiLogEntry,
} from '../session/types.js';
import {
  defaultSettings,
  memorySettingsStorage,
  type Settings,
  type SettingsStorage,
  type SortKey,
  type Theme,
} from './settings.js';

/** signedOut → connecting → authenticating → ready → error (and back to connecting on retry). */
export type SessionStatus = 'signedOut' | 'connecting' | 'authenticating' | 'ready' | 'error';

/** One message of the index: what LIST/UIDL said, what TOP's headers said, and local marks. */
export interface MessageRow {
  readonly number: number;
  readonly uid: string | undefined;
  readonly size: number;
  readonly from: MailAddress | undefined;
  readonly subject: string;
  readonly date: number | undefined;
  /** `pending` until its headers arrive (TOP) or come from the cache; `failed` when TOP was refused. */
  readonly status: 'pending' | 'loaded' | 'failed';
  readonly read: boolean;
  /** Marked with DELE in this session (greyed; undone by RSET). */
  readonly deleted: boolean;
  /** New since the previous session (after Refresh or Reconnect). */
  readonly isNew: boolean;
  /** Lower-cased sender and subject, for the filter. */
  readonly search: string;
}

export interface AccountInfo {
  readonly key: string;
  readonly server: string;
  readonly username: string;
  readonly encrypted: boolean;
  readonly tlsProtocol: string | undefined;
  readonly loginMethod: string | undefined;
  readonly pipelining: boolean;
  readonly implementation: string | undefined;
  readonly notes: readonly string[];
}

export interface ListingState {
  readonly phase: 'idle' | 'listing' | 'headers' | 'done';
  /** Headers received (TOP replies) of `total` needed. */
  readonly done: number;
  readonly total: number;
}

export interface OpenMessage {
  readonly number: number;
  readonly uid: string | undefined;
  readonly size: number;
  readonly status: 'loading' | 'parsing' | 'ready' | 'error' | 'cancelled';
  /** Bytes of RETR received so far, of `total` (the LIST size). */
  readonly received: number;
  readonly total: number | undefined;
  readonly raw: Uint8Array | undefined;
  readonly message: ParsedMessage | undefined;
  readonly parseError: string | undefined;
  /** The parse failed because the message is beyond the MIME limits ("too complex"). */
  readonly parseLimit: boolean;
  readonly error: UiError | undefined;
  /** "Show images" was clicked for this message. */
  readonly imagesOnce: boolean;
}

export interface Notice {
  readonly id: number;
  readonly key: MessageKey;
  readonly params?: Params;
  /** `info` goes away by itself; `warning` and `error` stay until dismissed. */
  readonly tone: 'info' | 'warning' | 'error';
  readonly error?: UiError;
  /** More sentences (after a refresh: how many messages are gone, deletions not committed). */
  readonly extras?: ReadonlyArray<{ readonly key: MessageKey; readonly params?: Params }>;
}

export interface LogLine extends UiLogEntry {
  readonly id: number;
}

export type ErrorContext = 'signin' | 'dropped' | 'refresh';

export interface ServersState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly list: readonly ServerInfo[];
  readonly allowAnyTarget: boolean;
}

export interface AppActions {
  loadServers(): Promise<void>;
  signIn(params: SignInParams): Promise<void>;
  cancelSignIn(): void;
  signOut(): Promise<void>;
  /** QUIT (commits deletions), a new session, and the UIDL difference shown as new messages. */
  refresh(): Promise<void>;
  /** A new session after a drop or a failed refresh. */
  reconnect(): Promise<void>;
  select(number: number | null): void;
  openMessage(number: number): Promise<void>;
  cancelOpen(): void;
  closeMessage(): void;
  deleteMessage(number: number): Promise<void>;
  undoDeletes(): Promise<void>;
  setRead(number: number, read: boolean): void;
  showImagesOnce(): void;
  setImagesAlways(address: string, always: boolean): void;
  setFilter(filter: string): void;
  setSort(sort: SortKey, descending?: boolean): void;
  /** Loads the language's dictionary, then switches. */
  setLanguage(language: Language): Promise<void>;
  setTheme(theme: Theme): void;
  toggleLog(open?: boolean): void;
  clearLog(): void;
  dismissNotice(): void;
  /** One keepalive check: NOOP when the session has been idle for the keepalive interval. */
  keepalive(force?: boolean): Promise<void>;
  /** Stops timers and ends the session without QUIT (page unload, tests). */
  dispose(): void;
}

export interface AppState {
  readonly status: SessionStatus;
  readonly error: UiError | null;
  readonly errorContext: ErrorContext;
  readonly account: AccountInfo | null;
  readonly servers: ServersState;
  /** Ordered by message number. */
  readonly rows: readonly MessageRow[];
  readonly listing: ListingState;
  readonly selected: number | null;
  readonly open: OpenMessage | null;
  readonly filter: string;
  readonly settings: Settings;
  readonly log: readonly LogLine[];
  /** Lines dropped from the start of the log (it keeps the last MAX_LOG_LINES). */
  readonly logDropped: number;
  readonly logOpen: boolean;
  readonly notice: Notice | null;
  /** A refresh or reconnect in progress (the mailbox stays on screen meanwhile). */
  readonly busy: 'refresh' | 'reconnect' | null;
  /** Messages marked for deletion when the session dropped: the server did not delete them. */
  readonly lostDeletes: number;
  readonly actions: AppActions;
}

export interface AppDeps {
  readonly connect: Connect;
  readonly cache: MailCache;
  readonly loadServers: () => Promise<ServerList>;
  readonly parseMessage: (bytes: Uint8Array, signal?: AbortSignal) => Promise<ParsedMessage>;
  readonly settingsStorage?: SettingsStorage;
  /** NOOP after this long without a command (default 60 s). */
  readonly keepaliveMs?: number;
  /** Batching of rows and log lines (default 60 ms). */
  readonly flushMs?: number;
  readonly now?: () => number;
}

export const MAX_LOG_LINES = 5000;
/**
 * TOP commands issued per batch; the next batch is issued when half of one is answered, so RETR of a
 * clicked message waits behind 1.5 batches at most. As large as the engine's pipeline window, so a batch
 * takes one round trip (at 50 ms RTT, batches of 250 made listing 1,000 messages four round trips
 * longer; see BENCHMARKS.md).
 */
export const TOP_BATCH = 1000;
/** Headers written to the cache per task after a listing. */
const CACHE_WRITE_SLICE = 500;

const idleListing: ListingState = { phase: 'idle', done: 0, total: 0 };

function makeRow(
  entry: MessageEntry,
  headers: Pick<HeaderSummary, 'from' | 'subject' | 'date'> | undefined,
  read: boolean,
  isNew: boolean,
): MessageRow {
  return {
    number: entry.number,
    uid: entry.uid,
    size: entry.size,
    from: headers?.from,
    subject: headers?.subject ?? '',
    date: headers?.date,
    status: headers ? 'loaded' : 'pending',
    read,
    deleted: false,
    isNew,
    search: headers ? searchText(headers.from, headers.subject) : '',
  };
}

function searchText(from: MailAddress | undefined, subject: string): string {
  return `${from?.name ?? ''} ${from?.address ?? ''} ${subject}`.toLowerCase();
}

function isAbort(error: unknown): boolean {
  return (
    (error instanceof Error &&
      (error.name === 'AbortError' || (error as { kind?: string }).kind === 'aborted')) ||
    (error instanceof DOMException && error.name === 'AbortError')
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

interface Session {
  readonly client: MailClient;
  readonly generation: number;
  /** The app is ending this session (QUIT or close): its close is not a drop. */
  closing: boolean;
  lastActivity: number;
  active: number;
  listing: AbortController | undefined;
}

/** The app's store: session state machine, message index, reading, settings; protocol work in actions. */
export function createAppStore(deps: AppDeps): StoreApi<AppState> {
  const settingsStorage = deps.settingsStorage ?? memorySettingsStorage();
  const keepaliveMs = deps.keepaliveMs ?? 60_000;
  const flushMs = deps.flushMs ?? 60;
  const now = deps.now ?? Date.now;

  /** The password lives here, in memory only, for Refresh and Reconnect. */
  let credentials: SignInParams | undefined;
  let session: Session | undefined;
  let generation = 0;
  let connectController: AbortController | undefined;
  let openController: AbortController | undefined;
  /** A message clicked during a reconnect or refresh: opened once the new session has listed it. */
  let openWhenListed = false;
  let keepaliveTimer: ReturnType<typeof setInterval> | undefined;
  let noticeId = 0;
  /**
   * UIDs marked for deletion in a session that ended without a committed QUIT (a drop, a failed QUIT):
   * the next listing tells the user which of them are still on the server.
   */
  const uncommitted = new Set<string>();

  let logId = 0;
  const logBuffer: LogLine[] = [];
  let logTimer: ReturnType<typeof setTimeout> | undefined;

  const pendingHeaders = new Map<number, HeaderSummary | 'failed'>();
  /** Headers shown but not yet written to the cache, by account. */
  const uncached = new Map<string, Array<[string, CachedHeaders]>>();
  /** Cache writes in progress, by account: reading the cache waits for them. */
  const cacheWrites = new Map<string, Promise<void>>();
  let rowsTimer: ReturnType<typeof setTimeout> | undefined;
  let indexByNumber = new Map<number, number>();

  const store = createStore<AppState>()((set, get) => {
    // ---- helpers -------------------------------------------------------------------------------

    const saveSettings = (patch: Partial<Settings>) => {
      const settings = { ...get().settings, ...patch };
      settingsStorage.save(settings);
      set({ settings });
    };

    const notify = (
      key: MessageKey,
      params?: Params,
      tone: Notice['tone'] = 'info',
      error?: UiError,
      extras?: Notice['extras'],
    ) => {
      set({
        notice: {
          id: ++noticeId,
          key,
          ...(params ? { params } : {}),
          tone,
          ...(error ? { error } : {}),
          ...(extras?.length ? { extras } : {}),
        },
      });
    };

    const flushLog = () => {
      if (logTimer !== undefined) clearTimeout(logTimer);
      logTimer = undefined;
      if (logBuffer.length === 0) return;
      const combined = [...get().log, ...logBuffer.splice(0)];
      const dropped = Math.max(0, combined.length - MAX_LOG_LINES);
      set({
        log: dropped > 0 ? combined.slice(dropped) : combined,
        logDropped: get().logDropped + dropped,
      });
    };

    const pushLog = (entry: UiLogEntry) => {
      logBuffer.push({ id: ++logId, direction: entry.direction, text: entry.text });
      logTimer ??= setTimeout(flushLog, flushMs);
    };

    const rowOf = (number: number): MessageRow | undefined => {
      const index = indexByNumber.get(number);
      return index === undefined ? undefined : get().rows[index];
    };

    const updateRows = (changes: ReadonlyMap<number, Partial<MessageRow>>) => {
      const rows = get().rows.slice();
      for (const [number, change] of changes) {
        const index = indexByNumber.get(number);
        const row = index === undefined ? undefined : rows[index];
        if (index !== undefined && row) rows[index] = { ...row, ...change };
      }
      set({ rows });
    };

    const flushRows = (forGeneration: number) => {
      if (rowsTimer !== undefined) clearTimeout(rowsTimer);
      rowsTimer = undefined;
      if (pendingHeaders.size === 0 || forGeneration !== generation) {
        pendingHeaders.clear();
        return;
      }
      const account = get().account;
      const changes = new Map<number, Partial<MessageRow>>();
      const toCache: Array<[string, HeaderSummary]> = [];
      for (const [number, summary] of pendingHeaders) {
        if (summary === 'failed') {
          changes.set(number, { status: 'failed' });
          continue;
        }
        changes.set(number, {
          from: summary.from,
          subject: summary.subject,
          date: summary.date,
          status: 'loaded',
          search: searchText(summary.from, summary.subject),
        });
        const uid = rowOf(number)?.uid;
        if (uid !== undefined) toCache.push([uid, summary]);
      }
      pendingHeaders.clear();
      updateRows(changes);
      const listing = get().listing;
      set({ listing: { ...listing, done: Math.min(listing.total, listing.done + changes.size) } });
      if (account) {
        const entries = uncached.get(account.key) ?? uncached.set(account.key, []).get(account.key)!;
        for (const [uid, { from, subject, date }] of toCache) entries.push([uid, { from, subject, date }]);
      }
    };

    /**
     * Headers go to the cache when the listing ends (or breaks off): IndexedDB writes on every row flush
     * took the main thread from the WebSocket while the list was loading. After the list's render, and
     * in slices, each in a task of its own: 10,000 puts at once held the main thread for ~250 ms.
     */
    const writeCache = (key: string) => {
      const entries = uncached.get(key);
      uncached.delete(key);
      if (!entries?.length) return;
      const written = new Promise<void>((resolve) => {
        const writeFrom = (start: number) => {
          if (start >= entries.length) return resolve();
          void deps.cache
            .putHeaders(key, entries.slice(start, start + CACHE_WRITE_SLICE))
            .catch(() => {})
            .then(() => setTimeout(() => writeFrom(start + CACHE_WRITE_SLICE), 0));
        };
        setTimeout(() => writeFrom(0), 0);
      });
      const before = cacheWrites.get(key) ?? Promise.resolve();
      const done = before.then(() => written);
      cacheWrites.set(key, done);
      void done.then(() => {
        if (cacheWrites.get(key) === done) cacheWrites.delete(key);
      });
    };

    const queueHeaders = (forGeneration: number, number: number, summary: HeaderSummary | 'failed') => {
      if (forGeneration !== generation) return;
      pendingHeaders.set(number, summary);
      rowsTimer ??= setTimeout(() => flushRows(forGeneration), flushMs);
    };

    /** Runs a command, counting it as activity (the keepalive waits for idleness). */
    const activity = async <T>(current: Session, run: () => Promise<T>): Promise<T> => {
      current.active++;
      current.lastActivity = now();
      try {
        return await run();
      } finally {
        current.active--;
        current.lastActivity = now();
      }
    };

    const stopKeepalive = () => {
      if (keepaliveTimer !== undefined) clearInterval(keepaliveTimer);
      keepaliveTimer = undefined;
    };

    const startKeepalive = () => {
      stopKeepalive();
      keepaliveTimer = setInterval(() => void get().actions.keepalive(), Math.max(1000, keepaliveMs / 4));
    };

    const abortWork = () => {
      session?.listing?.abort();
      openController?.abort();
      openController = undefined;
      const open = get().open;
      if (open && (open.status === 'loading' || open.status === 'parsing')) set({ open: null });
    };

    /** The session ended without the app asking: report it, offer Reconnect. */
    const dropped = (current: Session, error: unknown) => {
      if (session !== current || current.closing) return;
      current.closing = true;
      session = undefined;
      stopKeepalive();
      // A download in progress fails by itself (its RETR is rejected) and says so in the reader; a
      // message already downloaded and being parsed is complete and may still be shown.
      current.listing?.abort();
      flushRows(current.generation);
      current.client.close();
      // A listing cut off is over: its progress goes, and rows still without headers stay so.
      const listing = get().listing;
      if (listing.phase === 'listing' || listing.phase === 'headers')
        set({ listing: { ...listing, phase: 'done' } });
      // Without QUIT the server forgets the DELE marks (RFC 1939): show them as what they are.
      const marked = get().rows.filter((row) => row.deleted);
      for (const row of marked) if (row.uid !== undefined) uncommitted.add(row.uid);
      if (marked.length > 0) updateRows(new Map(marked.map((row) => [row.number, { deleted: false }])));
      set({
        status: 'error',
        error: describeError(current.client.closeReason ?? error, 'session'),
        errorContext: 'dropped',
        busy: null,
        lostDeletes: marked.length,
        notice: get().notice?.key === 'delete.marked' ? null : get().notice,
      });
    };

    /** A command failed: a dead connection is a drop; a refusal (-ERR) is a notice. */
    const commandFailed = (current: Session, error: unknown, key: MessageKey) => {
      if (isAbort(error)) return;
      if (current.client.state === 'ended') dropped(current, error);
      else if (session === current) notify(key, undefined, 'error', describeError(error));
    };

    const accountInfo = (params: SignInParams, client: MailClient): AccountInfo => ({
      key: accountKey(params),
      server: serverLabel(params.server),
      username: params.username,
      encrypted: client.tls !== null,
      tlsProtocol: client.tls?.protocol ?? undefined,
      loginMethod: client.loginMethod,
      pipelining: client.capabilities?.pipelining ?? false,
      implementation: client.capabilities?.implementation,
      notes: [...client.notes],
    });

    // ---- listing -------------------------------------------------------------------------------

    /**
     * Lists the mailbox. Commands are issued before the state changes that go with them: the engine
     * sends on a microtask and so does React's render of a store change, so a command issued after a
     * `set` would wait for that render (the whole mailbox, on sign-in) before leaving.
     */
    /**
     * What the cache knows of an account: its headers and read marks (empty where it cannot tell), once
     * the writes of an earlier listing are done.
     */
    const readCache = (key: string) =>
      (cacheWrites.get(key) ?? Promise.resolve()).then(() =>
        Promise.all([
          deps.cache.headers(key).catch(() => new Map<string, HeaderSummary>()),
          deps.cache.readMarks(key).catch(() => new Set<string>()),
        ]),
      );

    const loadList = async (
      current: Session,
      previousUids: ReadonlySet<string> | undefined,
      account: AccountInfo,
      fromCache: ReturnType<typeof readCache>,
    ) => {
      const stale = () => session !== current || current.generation !== generation;
      const { client } = current;
      const listed = activity(current, () => Promise.all([client.stat(), client.messages()]));
      set({ listing: { phase: 'listing', done: 0, total: 0 } });
      try {
        const [, entries] = await listed;
        const [cached, read] = await fromCache;
        if (stale()) return;

        const previous = get();
        const selectedUid = previous.selected === null ? undefined : rowOf(previous.selected)?.uid;
        const rows = entries.map((entry) => {
          const uid = entry.uid;
          return makeRow(
            entry,
            uid === undefined ? undefined : cached.get(uid),
            uid !== undefined && read.has(uid),
            previousUids !== undefined && uid !== undefined && !previousUids.has(uid),
          );
        });
        indexByNumber = new Map(rows.map((row, index) => [row.number, index]));
        const byUid = new Map(
          rows.flatMap((row) => (row.uid === undefined ? [] : [[row.uid, row] as const])),
        );
        // What was open or selected stays so when the message is still there (its number may differ).
        let open = previous.open;
        if (open) {
          const row = open.uid === undefined ? undefined : byUid.get(open.uid);
          open = row && open.status === 'ready' ? { ...open, number: row.number } : null;
        }
        const selectedRow = selectedUid === undefined ? undefined : byUid.get(selectedUid);
        const need = rows
          .filter((row) => row.status === 'pending')
          .map((row) => row.number)
          .sort((a, b) => b - a);
        const controller = new AbortController();
        current.listing = controller;
        // Each batch is issued when half of the one before has been answered, so the pipeline never
        // drains between batches (a round trip each), and a RETR waits behind 1.5 batches at most.
        const batches: Array<Promise<FetchEachResult>> = [];
        let issued = 0;
        const issueBatch = () => {
          if (issued >= need.length) return;
          const numbers = need.slice(issued, issued + TOP_BATCH);
          issued += numbers.length;
          let answered = 0;
          const batch = activity(current, () =>
            client.fetchEach({
              numbers,
              topLines: 0,
              signal: controller.signal,
              onMessage: (number, bytes) => {
                let summary: HeaderSummary | 'failed';
                try {
                  summary = summarizeHeaders(bytes);
                } catch {
                  summary = 'failed';
                }
                queueHeaders(current.generation, number, summary);
                if (++answered === Math.ceil(numbers.length / 2)) issueBatch();
              },
            }),
          );
          void batch.catch(() => {}); // awaited below; a later batch may fail while an earlier is awaited
          batches.push(batch);
        };
        issueBatch();
        set({
          rows,
          open,
          selected: selectedRow?.number ?? null,
          listing: { phase: need.length > 0 ? 'headers' : 'done', done: 0, total: need.length },
        });
        if (openWhenListed) {
          openWhenListed = false;
          if (selectedRow) void get().actions.openMessage(selectedRow.number);
        }
        if (previousUids) {
          const added = rows.filter((row) => row.isNew).length;
          const gone = [...previousUids].filter((uid) => !byUid.has(uid)).length;
          const kept = [...uncommitted].filter((uid) => byUid.has(uid)).length;
          uncommitted.clear();
          const extras: Array<NonNullable<Notice['extras']>[number]> = [];
          if (gone > 0) extras.push({ key: 'list.removedMessages', params: { count: gone } });
          if (kept > 0) extras.push({ key: 'delete.notCommitted', params: { count: kept } });
          notify(
            added > 0 ? 'list.newMessages' : 'list.noNewMessages',
            { count: added },
            kept > 0 ? 'warning' : 'info',
            undefined,
            extras,
          );
        }
        const uids = new Set(rows.flatMap((row) => (row.uid === undefined ? [] : [row.uid])));
        void deps.cache.retain(account.key, uids).catch(() => {});

        for (let index = 0; index < batches.length; index++) {
          const result = await batches[index]!;
          for (const failure of result.failures) queueHeaders(current.generation, failure.number, 'failed');
          if (stale()) return;
          // A batch mostly refused never reached its half: the next one goes now.
          if (index === batches.length - 1) issueBatch();
        }
        flushRows(current.generation);
        set({
          listing: { phase: 'done', done: need.length, total: need.length },
          account: { ...get().account!, notes: [...client.notes] },
        });
      } catch (error) {
        if (stale()) return;
        flushRows(current.generation);
        set({ listing: { ...get().listing, phase: 'done' } });
        commandFailed(current, error, 'error.unknown');
      } finally {
        writeCache(account.key);
      }
    };

    // ---- sessions ------------------------------------------------------------------------------

    const startSession = async (
      mode: 'signin' | 'refresh' | 'reconnect',
      previousUids?: ReadonlySet<string>,
    ) => {
      const params = credentials;
      if (!params) return;
      const myGeneration = ++generation;
      stopKeepalive();
      connectController?.abort();
      const controller = new AbortController();
      connectController = controller;
      let phase: ErrorPhase = 'connect';
      if (mode === 'signin') {
        openWhenListed = false;
        indexByNumber = new Map();
        set({
          status: 'connecting',
          error: null,
          account: null,
          rows: [],
          listing: idleListing,
          selected: null,
          open: null,
          notice: null,
          busy: null,
          lostDeletes: 0,
        });
      } else {
        set({ status: 'connecting', error: null, busy: mode, lostDeletes: 0 });
      }
      const holder: { current?: Session } = {};
      const hooks: ConnectHooks = {
        onStage: (stage) => {
          if (myGeneration !== generation) return;
          phase = stage === 'authenticating' ? 'login' : 'connect';
          set({ status: stage });
        },
        onLog: (entry) => pushLog(entry),
        onClosed: (error) => {
          if (holder.current) dropped(holder.current, error);
        },
      };
      // The cache is read (IndexedDB opened, on a first visit created) while the session is set up.
      const fromCache = readCache(accountKey(params));
      let client: MailClient;
      try {
        client = await deps.connect(params, hooks, controller.signal);
      } catch (error) {
        if (myGeneration !== generation) return;
        flushLog();
        set({
          status: 'error',
          error: describeError(error, phase),
          errorContext: mode === 'signin' ? 'signin' : mode === 'refresh' ? 'refresh' : 'dropped',
          busy: null,
        });
        return;
      }
      if (myGeneration !== generation) {
        client.close();
        return;
      }
      const current: Session = {
        client,
        generation: myGeneration,
        closing: false,
        lastActivity: now(),
        active: 0,
        listing: undefined,
      };
      holder.current = current;
      session = current;
      if (client.state === 'ended') {
        dropped(current, client.closeReason);
        return;
      }
      const account = accountInfo(params, client);
      const listing = loadList(current, previousUids, account, fromCache);
      set({ status: 'ready', error: null, account, busy: null });
      startKeepalive();
      await listing;
    };

    /**
     * Ends the current session with QUIT (committing deletions), or closes it when QUIT fails; resolves
     * to whether the server acknowledged QUIT. The UIDs marked for deletion in a session whose QUIT
     * failed are remembered: the server may not have deleted them.
     */
    const endSession = async (): Promise<boolean> => {
      const current = session;
      session = undefined;
      stopKeepalive();
      abortWork();
      if (!current) return false;
      current.closing = true;
      const marked = get().rows.flatMap((row) => (row.deleted && row.uid !== undefined ? [row.uid] : []));
      try {
        await withTimeout(current.client.quit(), 10_000);
        return true;
      } catch {
        current.client.close();
        for (const uid of marked) uncommitted.add(uid);
        return false;
      }
    };

    const currentUids = () => new Set(get().rows.flatMap((row) => (row.uid === undefined ? [] : [row.uid])));

    // ---- state and actions ---------------------------------------------------------------------

    const initialSettings = { ...defaultSettings(), ...settingsStorage.load() };

    return {
      status: 'signedOut',
      error: null,
      errorContext: 'signin',
      account: null,
      servers: { status: 'idle', list: [], allowAnyTarget: false },
      rows: [],
      listing: idleListing,
      selected: null,
      open: null,
      filter: '',
      settings: initialSettings,
      log: [],
      logDropped: 0,
      logOpen: false,
      notice: null,
      busy: null,
      lostDeletes: 0,
      actions: {
        async loadServers() {
          set({ servers: { ...get().servers, status: 'loading' } });
          try {
            const { servers, allowAnyTarget } = await deps.loadServers();
            set({ servers: { status: 'ready', list: servers, allowAnyTarget } });
          } catch {
            set({ servers: { ...get().servers, status: 'error' } });
          }
        },

        async signIn(params) {
          const { status } = get();
          if (status === 'connecting' || status === 'authenticating') return;
          if (session) await endSession();
          uncommitted.clear();
          credentials = params;
          pushLog({ direction: 'info', text: `signing in as ${params.username}` });
          await startSession('signin');
        },

        cancelSignIn() {
          generation++;
          connectController?.abort();
          credentials = undefined;
          set({ status: 'signedOut', error: null, busy: null });
        },

        async signOut() {
          generation++;
          connectController?.abort();
          credentials = undefined;
          const marked = get().rows.filter((row) => row.deleted).length;
          const ending = endSession();
          indexByNumber = new Map();
          pendingHeaders.clear();
          set({
            status: 'signedOut',
            error: null,
            errorContext: 'signin',
            account: null,
            rows: [],
            listing: idleListing,
            selected: null,
            open: null,
            filter: '',
            notice: null,
            busy: null,
            lostDeletes: 0,
          });
          const committed = await ending;
          uncommitted.clear();
          flushLog();
          // The sign-in page says so when the QUIT that was to delete the marked messages failed.
          if (!committed && marked > 0 && get().status === 'signedOut') {
            notify('delete.notCommitted', { count: marked }, 'warning');
          }
        },

        async refresh() {
          if (get().status !== 'ready' || !session || !credentials) return;
          const previous = currentUids();
          flushRows(generation);
          await endSession();
          await startSession('refresh', previous);
        },

        async reconnect() {
          if (get().status !== 'error' || !get().account || !credentials) return;
          const previous = currentUids();
          await endSession();
          await startSession('reconnect', previous);
        },

        select(number) {
          set({ selected: number });
        },

        async openMessage(number) {
          const current = session;
          const row = rowOf(number);
          if (!row) return;
          if (!current || get().status !== 'ready') {
            // During a reconnect or refresh: selected now, opened when the new session has listed it.
            if (get().busy) {
              openWhenListed = true;
              set({ selected: number });
            }
            return;
          }
          const open = get().open;
          if (open && open.number === number && open.status !== 'error' && open.status !== 'cancelled') {
            set({ selected: number });
            return;
          }
          openController?.abort();
          const controller = new AbortController();
          openController = controller;
          set({
            selected: number,
            open: {
              number,
              uid: row.uid,
              size: row.size,
              status: 'loading',
              received: 0,
              total: row.size,
              raw: undefined,
              message: undefined,
              parseError: undefined,
              parseLimit: false,
              error: undefined,
              imagesOnce: false,
            },
          });
          const stillOpen = () => openController === controller && get().open?.number === number;
          let progressTimer: ReturnType<typeof setTimeout> | undefined;
          let progress = { received: 0, total: row.size as number | undefined };
          try {
            const raw = await activity(current, () =>
              current.client.retr(number, {
                signal: controller.signal,
                onProgress: (received, total) => {
                  progress = { received, total: total ?? row.size };
                  progressTimer ??= setTimeout(() => {
                    progressTimer = undefined;
                    const latest = get().open;
                    if (stillOpen() && latest?.status === 'loading')
                      set({ open: { ...latest, ...progress } });
                  }, flushMs);
                },
              }),
            );
            if (progressTimer !== undefined) clearTimeout(progressTimer);
            if (!stillOpen()) return;
            set({ open: { ...get().open!, status: 'parsing', received: raw.length, raw } });
            get().actions.setRead(number, true);
            let message: ParsedMessage | undefined;
            let parseError: string | undefined;
            let parseLimit = false;
            try {
              message = await deps.parseMessage(raw, controller.signal);
            } catch (error) {
              if (isAbort(error)) return;
              parseError = error instanceof Error ? error.message : String(error);
              parseLimit = error instanceof Error && error.name === 'MimeLimitError';
            }
            if (!stillOpen()) return;
            set({ open: { ...get().open!, status: 'ready', message, parseError, parseLimit } });
          } catch (error) {
            if (progressTimer !== undefined) clearTimeout(progressTimer);
            if (!stillOpen()) return;
            if (isAbort(error)) {
              set({ open: { ...get().open!, status: 'cancelled' } });
              return;
            }
            set({ open: { ...get().open!, ...progress, status: 'error', error: describeError(error) } });
            if (current.client.state === 'ended') dropped(current, error);
          }
        },

        cancelOpen() {
          openController?.abort();
        },

        closeMessage() {
          openController?.abort();
          openController = undefined;
          set({ open: null });
        },

        async deleteMessage(number) {
          const current = session;
          const row = rowOf(number);
          if (!current || !row || row.deleted || get().status !== 'ready') return;
          try {
            await activity(current, () => current.client.dele(number));
            if (session !== current) return;
            updateRows(new Map([[number, { deleted: true }]]));
            const count = get().rows.filter((entry) => entry.deleted).length;
            notify('delete.marked', { count });
          } catch (error) {
            commandFailed(current, error, 'delete.failed');
          }
        },

        async undoDeletes() {
          const current = session;
          if (!current || get().status !== 'ready') return;
          try {
            await activity(current, () => current.client.rset());
            if (session !== current) return;
            const changes = new Map<number, Partial<MessageRow>>();
            for (const row of get().rows) if (row.deleted) changes.set(row.number, { deleted: false });
            updateRows(changes);
            notify('delete.undone');
          } catch (error) {
            commandFailed(current, error, 'delete.undoFailed');
          }
        },

        setRead(number, read) {
          const row = rowOf(number);
          const account = get().account;
          if (!row || row.read === read) return;
          updateRows(new Map([[number, { read }]]));
          if (account && row.uid !== undefined)
            void deps.cache.setRead(account.key, row.uid, read).catch(() => {});
        },

        showImagesOnce() {
          const open = get().open;
          if (open) set({ open: { ...open, imagesOnce: true } });
        },

        setImagesAlways(address, always) {
          const normalized = address.trim().toLowerCase();
          if (!normalized) return;
          const list = get().settings.imagesAlways.filter((entry) => entry !== normalized);
          saveSettings({ imagesAlways: always ? [...list, normalized] : list });
          const open = get().open;
          if (!always && open) set({ open: { ...open, imagesOnce: false } });
        },

        setFilter(filter) {
          set({ filter });
        },

        setSort(sort, descending) {
          saveSettings({ sort, descending: descending ?? get().settings.descending });
        },

        async setLanguage(language) {
          try {
            await loadLanguage(language);
          } catch {
            return; // the dictionary could not be fetched: stay in the current language
          }
          saveSettings({ language });
        },

        setTheme(theme) {
          saveSettings({ theme });
        },

        toggleLog(open) {
          flushLog();
          set({ logOpen: open ?? !get().logOpen });
        },

        clearLog() {
          logBuffer.length = 0;
          set({ log: [], logDropped: 0 });
        },

        dismissNotice() {
          set({ notice: null });
        },

        async keepalive(force = false) {
          const current = session;
          if (!current || current.closing || current.active > 0 || get().status !== 'ready') return;
          if (!force && now() - current.lastActivity < keepaliveMs) return;
          try {
            await activity(current, () => current.client.noop());
          } catch (error) {
            if (!isAbort(error)) dropped(current, error);
          }
        },

        dispose() {
          generation++;
          stopKeepalive();
          connectController?.abort();
          abortWork();
          if (logTimer !== undefined) clearTimeout(logTimer);
          if (rowsTimer !== undefined) clearTimeout(rowsTimer);
          const current = session;
          session = undefined;
          if (current) {
            current.closing = true;
            current.client.close();
          }
        },
      },
    };
  });
  return store;
}

/** Sorts and filters the index for the list (newest first by default). */
export function visibleRows(
  rows: readonly MessageRow[],
  filter: string,
  sort: SortKey,
  descending: boolean,
  collator: Intl.Collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }),
): MessageRow[] {
  const needle = filter.trim().toLowerCase();
  const list = needle ? rows.filter((row) => row.search.includes(needle)) : rows.slice();
  const direction = descending ? -1 : 1;
  const byNumber = (a: MessageRow, b: MessageRow) => (a.number - b.number) * direction;
  let compare: (a: MessageRow, b: MessageRow) => number;
  switch (sort) {
    case 'date':
      // Messages whose headers have not arrived yet sort as the oldest (they fill in newest first).
      compare = (a, b) =>
        ((a.date ?? -Infinity) === (b.date ?? -Infinity)
          ? 0
          : (a.date ?? -Infinity) < (b.date ?? -Infinity)
            ? -1
            : 1) * direction || byNumber(a, b);
      break;
    case 'size':
      compare = (a, b) => (a.size - b.size) * direction || byNumber(a, b);
      break;
    case 'sender':
      compare = (a, b) =>
        collator.compare(a.from?.name || a.from?.address || '', b.from?.name || b.from?.address || '') *
          direction || byNumber(a, b);
      break;
    case 'subject':
      compare = (a, b) =>
        collator.compare(
          a.subject.replace(/^(?:(?:re|fwd?|aw|wg)\s*:\s*)+/i, ''),
          b.subject.replace(/^(?:(?:re|fwd?|aw|wg)\s*:\s*)+/i, ''),
        ) * direction || byNumber(a, b);
      break;
  }
  return list.sort(compare);
}
