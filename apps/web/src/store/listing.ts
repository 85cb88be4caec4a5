import type { CachedHeaders } from '../mailstore/mail-cache.js';
import { summarizeHeaders, type ListHeaders } from '../mime/headers.js';
import { mimeLimits } from '../mime/limits.js';
import type { Runtime, StoreTools } from './app-state.js';
import type { CachedMailbox } from './header-cache.js';
import { commandFailed } from './lifecycle.js';
import type { MailSession } from './mail-session.js';
import type { MessageEntry, Stat } from '@webpop/pop3';
import type { MailClient } from '../session/types.js';
import { notify, type Notice } from './notices-slice.js';
import { openMessage } from './reader-slice.js';
import { changeRows, indexRows, loadedHeaders, makeRow, uidsOf, type MessageRow } from './rows.js';
import type { AccountInfo } from './session-slice.js';
import { selectRow } from './selectors.js';
import { selectOnly } from './selection.js';

export interface ListOptions {
  /** The UIDs listed before (Refresh, Reconnect): what is new is marked and counted. */
  readonly previousUids: ReadonlySet<string> | undefined;
  readonly fromCache: Promise<CachedMailbox>;
  /** The new-mail check's listing: no "No new messages." notice. */
  readonly quiet?: boolean;
  /** STAT, LIST and UIDL already issued (during the login: they left with its last line). */
  readonly started?: ReturnType<typeof startListing> | undefined;
  /** Account settings' "Snippets for messages not saved here": TOP n 10 instead of n 0. */
  readonly withPreview?: Promise<boolean>;
}

/**
 * The listing's first commands: STAT, LIST and UIDL, pipelined. Issued during the login where the
 * engine allows (they then leave with its last line, a round trip sooner: 50 ms at 50 ms RTT); a
 * refused login rejects them, which the sign-in reports, so they are not waited for here.
 */
export function startListing(client: MailClient): Promise<[Stat, MessageEntry[]]> {
  const started = Promise.all([client.stat(), client.messages()]);
  started.catch(() => {});
  return started;
}

/**
 * Lists the mailbox of a new session: LIST and UIDL, rows from the cache where it knows the UIDL, then
 * one `fetchEach` of TOP over every message still without headers, newest first. The engine keeps that
 * to one pipeline window at a time, and the reader's RETR goes in its urgent lane, so a message opened
 * meanwhile waits behind one window at most. Headers reach the rows in one change per `flushMs`.
 *
 * Commands are issued before the state changes that go with them: the engine sends on a microtask and
 * so does React's render of a store change, so a command issued after a `set` would wait for that
 * render (the whole mailbox, on sign-in) before leaving.
 */
export async function listMailbox(
  tools: StoreTools,
  runtime: Runtime,
  session: MailSession,
  account: AccountInfo,
  options: ListOptions,
): Promise<void> {
  const { previousUids, fromCache, quiet = false } = options;
  const { set, get } = tools;
  const { signal } = session;
  const listed = session.run((client) => options.started ?? startListing(client));
  set({ listing: { phase: 'listing', done: 0, total: 0 } });
  const flush = new RowFlush(tools, runtime, account.key, signal);
  try {
    const [, entries] = await listed;
    const [cached, read] = await fromCache;
    const preview = await (options.withPreview ?? Promise.resolve(false)).catch(() => false);
    if (signal.aborted) return;
    const usable = (headers: CachedHeaders | undefined) =>
      headers !== undefined && !staleHeaders(headers, preview) ? headers : undefined;

    const headersOf = entries.map((entry) =>
      entry.uid === undefined ? undefined : usable(cached.get(entry.uid)),
    );
    // The TOPs are issued before the rows are built: building and setting 1,000 rows held them 27–40 ms
    // after LIST and UIDL were in (first-row.ts, 50 ms RTT, load 2). No reply can arrive before the
    // rows are set: they are set in this same task.
    const need = entries
      .filter((_, index) => headersOf[index] === undefined)
      .map((entry) => entry.number)
      .sort((a, b) => b - a);
    const fetched =
      need.length === 0
        ? Promise.resolve({ failures: [] })
        : session.run((client) =>
            client.fetchEach({
              numbers: need,
              topLines: preview ? listPreviewLines : 0,
              // The engine holds no more of a header block than the list reads.
              keepBytes: mimeLimits.maxListHeaderBytes,
              signal,
              onMessage: (number, bytes, receivedBytes) => {
                let summary: ListHeaders | 'failed';
                try {
                  summary = summarizeHeaders(bytes, receivedBytes, preview);
                } catch {
                  summary = 'failed';
                }
                flush.queue(number, summary);
              },
            }),
          );
    void fetched.catch(() => {}); // awaited below, after the rows are on screen
    // The engine writes what was issued in a microtask: yielding to it here sends the TOPs before the
    // rows are built and set (and the header cache's retain) — they left 35 ms after being issued,
    // behind that work (first-row.ts, 50 ms RTT, load 8).
    await Promise.resolve();
    if (signal.aborted) return;

    const previous = get();
    const selectedUid = selectRow(previous, previous.selected)?.uid;
    // New until opened: what an earlier check or Refresh brought stays marked through the next one.
    const stillNew = new Set(
      previous.rows.flatMap((row) => (row.isNew && !row.read && row.uid !== undefined ? [row.uid] : [])),
    );
    const rows = entries.map((entry, index) => {
      const uid = entry.uid;
      const isRead = uid !== undefined && read.has(uid);
      return makeRow(
        entry,
        headersOf[index],
        isRead,
        previousUids !== undefined &&
          uid !== undefined &&
          (!previousUids.has(uid) || (stillNew.has(uid) && !isRead)),
      );
    });
    const byUid = new Map(rows.flatMap((row) => (row.uid === undefined ? [] : [[row.uid, row] as const])));
    // What was open or selected stays so when the message is still there (its number may differ).
    let open = previous.open;
    if (open) {
      const row = open.uid === undefined ? undefined : byUid.get(open.uid);
      open = row && open.kind === 'ready' ? { ...open, number: row.number } : null;
    }
    const selectedRow = selectedUid === undefined ? undefined : byUid.get(selectedUid);
    set({
      rows,
      rowIndex: indexRows(rows),
      open,
      ...selectOnly(selectedRow?.number ?? null),
      openWhenListed: false,
      listing: { phase: need.length > 0 ? 'headers' : 'done', done: 0, total: need.length },
    });
    flush.rowsSet();
    if (previous.openWhenListed && selectedRow) void openMessage(tools, runtime, selectedRow.number);
    if (previousUids) reportDifference(tools, runtime, rows, byUid, previousUids, quiet);
    runtime.headerCache.retain(account.key, uidsOf(rows));

    const { failures } = await fetched;
    for (const failure of failures) flush.queue(failure.number, 'failed');
    if (signal.aborted) return;
    flush.now();
    const state = get().session;
    set({
      listing: { phase: 'done', done: need.length, total: need.length },
      ...(state.kind === 'open'
        ? { session: { ...state, account: { ...state.account, notes: [...session.client.notes] } } }
        : {}),
    });
  } catch (error) {
    if (signal.aborted) return;
    flush.now();
    set({ listing: { ...get().listing, phase: 'done' } });
    commandFailed(tools, session, error, 'error.unknown');
  } finally {
    runtime.headerCache.flush(account.key);
  }
}

/** Body lines a listing asks of each message when the account fetches the first lines (`TOP n 10`). */
export const listPreviewLines = 10;

/**
 * Cached headers the listing reads again with TOP: written before conversations existed (no
 * `references`: one TOP each, once), or without the first lines the account now wants.
 */
function staleHeaders(headers: CachedHeaders, preview: boolean): boolean {
  return headers.references === undefined || (preview && headers.preview === undefined);
}

/** After Refresh or Reconnect: how many messages are new, gone, or still there though deleted. */
function reportDifference(
  tools: StoreTools,
  runtime: Runtime,
  rows: readonly MessageRow[],
  byUid: ReadonlyMap<string, MessageRow>,
  previousUids: ReadonlySet<string>,
  quiet: boolean,
): void {
  const added = rows.filter((row) => row.uid !== undefined && !previousUids.has(row.uid)).length;
  const gone = [...previousUids].filter((uid) => !byUid.has(uid)).length;
  const kept = [...runtime.uncommitted].filter((uid) => byUid.has(uid)).length;
  runtime.uncommitted.clear();
  if (quiet && added === 0 && gone === 0 && kept === 0) return;
  const extras: Array<NonNullable<Notice['extras']>[number]> = [];
  if (gone > 0) extras.push({ key: 'list.removedMessages', params: { count: gone } });
  if (kept > 0) extras.push({ key: 'delete.notCommitted', params: { count: kept } });
  notify(tools, added > 0 ? 'list.newMessages' : 'list.noNewMessages', {
    params: { count: added },
    tone: kept > 0 ? 'warning' : 'info',
    extras,
  });
}

/**
 * Headers on their way to the rows: applied in one change per `flushMs`, and collected for the header
 * cache. When the session's signal aborts (it ends, drops or is replaced) what has arrived is applied
 * at once, and nothing more is taken.
 */
class RowFlush {
  private readonly pending = new Map<number, ListHeaders | 'failed'>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushed = false;
  private firstQueued = false;
  private rowsAreSet = false;

  constructor(
    private readonly tools: StoreTools,
    private readonly runtime: Runtime,
    private readonly accountKey: string,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.now(), { once: true });
  }

  queue(number: number, summary: ListHeaders | 'failed'): void {
    if (this.signal.aborted) return;
    this.pending.set(number, summary);
    this.schedule();
  }

  /** The rows are set: headers that came before (a fake server's, in tests) can be applied now. */
  rowsSet(): void {
    this.rowsAreSet = true;
    if (this.pending.size > 0) this.schedule();
  }

  private schedule(): void {
    if (!this.rowsAreSet || this.timer !== undefined || this.firstQueued) return;
    if (this.flushed) {
      this.timer = setTimeout(() => this.now(), this.runtime.flushMs);
      return;
    }
    // The first headers are shown at the end of the task their replies came in (one WebSocket message
    // holds many), not `flushMs` later nor after a `setTimeout(0)`: that came 49–74 ms after the first
    // TOP was answered, behind the next messages' replies (first-row.ts, 50 ms RTT, load 0.4–2.2).
    this.firstQueued = true;
    queueMicrotask(() => {
      this.firstQueued = false;
      if (!this.signal.aborted) this.now();
    });
  }

  now(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    this.flushed = true;
    const { set, get } = this.tools;
    const state = get();
    const changes = new Map<number, Partial<MessageRow>>();
    const toCache: Array<[string, ListHeaders]> = [];
    for (const [number, summary] of this.pending) {
      if (summary === 'failed') {
        changes.set(number, { status: 'failed' });
        continue;
      }
      changes.set(number, loadedHeaders(summary));
      const uid = selectRow(state, number)?.uid;
      if (uid !== undefined) toCache.push([uid, summary]);
    }
    this.pending.clear();
    const { listing } = state;
    set({
      rows: changeRows(state.rows, state.rowIndex, changes),
      listing: { ...listing, done: Math.min(listing.total, listing.done + changes.size) },
    });
    this.runtime.headerCache.collect(this.accountKey, toCache);
  }
}
