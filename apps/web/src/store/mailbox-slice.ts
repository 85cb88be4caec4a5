import { withConversations } from '../conversations/grouping.js';
import { deletesToTrash, type Folder } from '../mailstore/index.js';
import type { Runtime, Slice, StoreTools } from './app-state.js';
import { commandFailed } from './lifecycle.js';
import { notify } from './notices-slice.js';
import { savePreferences } from './preferences-slice.js';
import { changeRows, indexRows, type ListingState, type MessageRow, type RowIndex } from './rows.js';
import { applyServerCopyPolicy } from './server-copy.js';
import { selectAccount, selectCounts, selectRow, selectSelectedRows } from './selectors.js';
import {
  keepShown,
  selectAllOf,
  selectIn,
  selectOnly,
  type SelectMode,
  type Selection,
} from './selection.js';
import type { SortKey } from './settings.js';
import { moveToTrash } from './trash.js';

/** What the list shows: a local folder of messages, or the drafts being written (compose). */
export type FolderView = Folder | 'drafts';

export interface MailboxSlice extends Selection {
  /** Ordered by message number. */
  readonly rows: readonly MessageRow[];
  /** Message number → position in `rows`. */
  readonly rowIndex: RowIndex;
  readonly listing: ListingState;
  readonly filter: string;
  /**
   * A message was clicked while the session was being reopened: the listing of the new session opens
   * the selected message (found again by UIDL) when it is still there.
   */
  readonly openWhenListed: boolean;
  /** The local folder shown ("Folders": Inbox, Drafts, Sent, Archive, Trash). */
  readonly folder: FolderView;
  readonly actions: {
    showFolder(folder: FolderView): void;
    /** Moves a message to a local folder (Archive, or back to the Inbox: Restore); the server is not told. */
    moveTo(number: number, folder: Folder): void;
    /**
     * Empties Trash: the copies here go. Under "Remove from the server when I delete it here" their
     * server copies are then marked with DELE (committed at QUIT).
     */
    emptyTrash(): Promise<void>;
    /** This message alone (a plain click or j/k), or nothing. */
    select(number: number | null): void;
    /** Ctrl/Cmd-click and x (`toggle`), Shift-click and Shift+arrows (`range`), over the list as shown. */
    selectWith(number: number, mode: SelectMode, shown: readonly number[]): void;
    /** "Select all": every message shown. */
    selectAll(shown: readonly number[]): void;
    /** Delete for every selected message (each as the Delete of one: local Trash or DELE). */
    deleteSelected(): Promise<void>;
    /** Archive or Restore for every selected message. */
    moveSelected(folder: Folder): void;
    setReadSelected(read: boolean): void;
    /**
     * The bulk actions on messages named by number rather than by this list's selection (All inboxes
     * hands each account its part of its own selection): each message as the Delete, Archive or read
     * mark of one, under this account's policies.
     */
    deleteMessages(numbers: readonly number[]): Promise<void>;
    moveMessages(numbers: readonly number[], folder: Folder): void;
    setReadOf(numbers: readonly number[], read: boolean): void;
    /** Stars the selected messages, or unstars them when all of them are starred. */
    toggleStarSelected(): void;
    setStarred(numbers: readonly number[], starred: boolean): void;
    /** "Mark all as read": every message shown. */
    markAllRead(shown: readonly number[]): void;
    setFilter(filter: string): void;
    setSort(sort: SortKey, descending?: boolean): void;
    deleteMessage(number: number): Promise<void>;
    undoDeletes(): Promise<void>;
    setRead(number: number, read: boolean): void;
  };
}

export const idleListing: ListingState = { phase: 'idle', done: 0, total: 0 };

/** The mailbox with nothing in it: before the first listing of a sign-in, and after signing out. */
export const emptyMailbox: Omit<MailboxSlice, 'actions'> = {
  rows: [],
  rowIndex: new Map(),
  listing: idleListing,
  ...selectOnly(null),
  filter: '',
  openWhenListed: false,
  folder: 'inbox',
};

export function createMailboxSlice(runtime: Runtime): Slice<MailboxSlice> {
  return (set, get) => {
    const tools = { set, get };
    return {
      ...emptyMailbox,
      actions: {
        select(number) {
          set(selectOnly(number));
        },

        selectWith(number, mode, shown) {
          set(selectIn(get(), shown, number, mode));
        },

        selectAll(shown) {
          set(selectAllOf(get(), shown));
        },

        async deleteSelected() {
          await get().actions.deleteMessages(selectSelectedRows(get()).map((row) => row.number));
        },

        moveSelected(folder) {
          get().actions.moveMessages(
            selectSelectedRows(get()).map((row) => row.number),
            folder,
          );
        },

        setReadSelected(read) {
          markRead(
            tools,
            runtime,
            selectSelectedRows(get()).map((row) => row.number),
            read,
          );
        },

        async deleteMessages(numbers) {
          // One at a time, in the engine's order: each is the Delete of one message.
          for (const number of [...numbers].sort((a, b) => a - b)) await deleteOne(tools, runtime, number);
          dropMoved(tools);
        },

        moveMessages(numbers, folder) {
          for (const number of numbers) moveMessage(tools, runtime, number, folder);
          dropMoved(tools);
        },

        setReadOf(numbers, read) {
          markRead(tools, runtime, numbers, read);
        },

        toggleStarSelected() {
          const rows = selectSelectedRows(get());
          const starred = !rows.every((row) => row.starred);
          markStarred(
            tools,
            runtime,
            rows.map((row) => row.number),
            starred,
          );
        },

        setStarred(numbers, starred) {
          markStarred(tools, runtime, numbers, starred);
        },

        markAllRead(shown) {
          markRead(tools, runtime, withConversations(get(), shown), true);
        },

        showFolder(folder) {
          set({ folder, ...selectOnly(null) });
        },

        moveTo(number, folder) {
          moveMessage(tools, runtime, number, folder);
        },

        async emptyTrash() {
          const store = await runtime.mailStore;
          const account = get().device.account;
          if (!store || !account) return;
          await store.emptyTrash(account.key);
          const trashed = get().rows.filter((row) => row.place === 'trash');
          const gone = new Set(trashed.filter((row) => !row.onServer).map((row) => row.number));
          const rows = get()
            .rows.filter((row) => !gone.has(row.number))
            .map((row) => (row.place === 'trash' ? { ...row, place: 'erased' as const, saved: false } : row));
          set({ rows, rowIndex: indexRows(rows), ...selectOnly(null), open: null });
          const session = runtime.session;
          if (session && !session.signal.aborted && get().session.kind === 'open') {
            await applyServerCopyPolicy(tools, runtime, session, store, account);
          }
        },

        setFilter(filter) {
          set({ filter });
        },

        setSort(sort, descending) {
          savePreferences(tools, runtime, { sort, descending: descending ?? get().settings.descending });
        },

        async deleteMessage(number) {
          await deleteOne(tools, runtime, number);
        },

        async undoDeletes() {
          await removeDeletionMarks(tools, runtime);
        },

        setRead(number, read) {
          markRead(tools, runtime, [number], read);
        },
      },
    };
  };
}

/** Delete of one message: to the local Trash when the account keeps mail here, else DELE. */
async function deleteOne(tools: StoreTools, runtime: Runtime, number: number): Promise<void> {
  if (deletesToTrash(tools.get().device.account?.settings)) await moveToTrash(tools, runtime, number);
  else await markForDeletion(tools, runtime, number);
}

/** Archive or Restore: to a local folder; the server is not told. */
function moveMessage(tools: StoreTools, runtime: Runtime, number: number, folder: Folder): void {
  const row = selectRow(tools.get(), number);
  if (!row || row.uid === undefined || row.deleted || row.place === folder) return;
  changeMarks(tools, new Map([[number, { place: folder }]]));
  placeLocally(tools, runtime, [row.uid], folder);
}

/**
 * DELE: marks the row once the server has; the Delete button and a DELE typed in the command line
 * (the console slice) both come here. Resolves to whether the row is now marked.
 */
export async function markForDeletion(tools: StoreTools, runtime: Runtime, number: number): Promise<boolean> {
  const { get } = tools;
  const session = runtime.session;
  const row = selectRow(get(), number);
  if (!session || !row || row.deleted || !row.onServer || get().session.kind !== 'open') return false;
  try {
    await session.run((client) => client.dele(number));
    if (session.signal.aborted) return false;
    changeMarks(tools, new Map([[number, { deleted: true }]]));
    if (row.uid !== undefined) placeLocally(tools, runtime, [row.uid], 'trash');
    notify(tools, 'delete.marked', { params: { count: selectCounts(get()).deleted } });
    return true;
  } catch (error) {
    commandFailed(tools, session, error, 'delete.failed');
    return false;
  }
}

/** RSET: unmarks every row once the server has (Undo, or RSET typed in the command line). */
export async function removeDeletionMarks(tools: StoreTools, runtime: Runtime): Promise<boolean> {
  const { set, get } = tools;
  const session = runtime.session;
  if (!session || get().session.kind !== 'open') return false;
  try {
    await session.run((client) => client.rset());
    if (session.signal.aborted) return false;
    const changes = new Map<number, Partial<MessageRow>>();
    for (const row of get().rows) if (row.deleted) changes.set(row.number, { deleted: false });
    // Under the local Trash, the user's deletions stay in Trash: RSET only unmarks server copies.
    if (!deletesToTrash(get().device.account?.settings))
      placeLocally(tools, runtime, uidsOfNumbers(get().rows, changes.keys()), 'inbox');
    changeMarks(tools, changes);
    // RSET took back the server-copy policy's marks too: the next session decides again.
    set({ device: { ...get().device, serverCopy: { ...get().device.serverCopy, marked: 0 } } });
    notify(tools, 'delete.undone');
    return true;
  } catch (error) {
    commandFailed(tools, session, error, 'delete.undoFailed');
    return false;
  }
}

/** Applies changes to rows by message number. */
export function changeMarks(
  { set, get }: StoreTools,
  changes: ReadonlyMap<number, Partial<MessageRow>>,
): void {
  const { rows, rowIndex } = get();
  set({ rows: changeRows(rows, rowIndex, changes) });
}

/**
 * Where the local copy of messages goes when they are deleted here (Trash) or the deletion is taken
 * back (Inbox): a message deleted from the server is not shown again as kept on this device.
 */
export function placeLocally(
  tools: StoreTools,
  runtime: Runtime,
  uids: readonly string[],
  place: Folder,
): void {
  const key = tools.get().device.account?.key;
  if (!key || uids.length === 0) return;
  void runtime.mailStore.then((store) => store?.setState(key, uids, { place })).catch(() => {});
}

function uidsOfNumbers(rows: readonly MessageRow[], numbers: Iterable<number>): string[] {
  const wanted = new Set(numbers);
  return rows.flatMap((row) => (wanted.has(row.number) && row.uid !== undefined ? [row.uid] : []));
}

/** Read marks are local (POP3 has none): kept in the cache by UIDL. */
export function markRead(
  tools: StoreTools,
  runtime: Runtime,
  numbers: readonly number[],
  read: boolean,
): void {
  const state = tools.get();
  const account = selectAccount(state);
  const changes = new Map<number, Partial<MessageRow>>();
  for (const number of numbers) {
    const row = selectRow(state, number);
    if (!row || row.read === read) continue;
    // Opened or marked read: no longer new (the list's "New" marker goes).
    changes.set(number, read ? { read, isNew: false } : { read });
    if (account && row.uid !== undefined) runtime.headerCache.setRead(account.key, row.uid, read);
  }
  if (changes.size > 0) changeMarks(tools, changes);
}

/** Stars are local too: kept in the mail store by UIDL (without a store, for this session only). */
export function markStarred(
  tools: StoreTools,
  runtime: Runtime,
  numbers: readonly number[],
  starred: boolean,
): void {
  const state = tools.get();
  const changes = new Map<number, Partial<MessageRow>>();
  for (const number of numbers) {
    const row = selectRow(state, number);
    if (row && row.starred !== starred) changes.set(number, { starred });
  }
  if (changes.size === 0) return;
  changeMarks(tools, changes);
  const key = state.device.account?.key;
  const uids = uidsOfNumbers(state.rows, changes.keys());
  if (!key || uids.length === 0) return;
  void runtime.mailStore.then((store) => store?.setState(key, uids, { starred })).catch(() => {});
}

/**
 * After a bulk move or delete: the selection keeps only what is still shown where it was (a message
 * moved to Trash or Archive has left the folder on screen; one marked with DELE stays, greyed).
 */
function dropMoved({ set, get }: StoreTools): void {
  const { folder } = get();
  const next = keepShown(get(), (number) => {
    const row = selectRow(get(), number);
    return row !== undefined && row.place === folder;
  });
  if (next !== get()) set(next);
}
