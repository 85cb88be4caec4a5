import { byArrival, type StoredAccount, type StoredMessage } from '../mailstore/index.js';
import { serverLabel } from '../session/types.js';
import type { Runtime, Slice } from './app-state.js';
import { emptyMailbox } from './mailbox-slice.js';
import { indexRows, makeRow, type MessageRow } from './rows.js';
import type { AccountInfo } from './session-slice.js';

/** An account remembered on this device, as the sign-in page lists it ("Open saved mail"). */
export interface SavedAccount {
  readonly key: string;
  readonly server: string;
  readonly username: string;
  readonly lastSignIn: number;
}

/** Why a mailbox is shown read-only from the store: the bridge did not answer, or not signed in. */
export type OfflineReason = 'unreachable' | 'notSignedIn';

export interface SavedSlice {
  readonly savedAccounts: readonly SavedAccount[];
  readonly actions: {
    /** Reads the remembered accounts from the store (none where IndexedDB cannot be used). */
    loadSavedAccounts(): Promise<void>;
    /** Opens an account's saved mail read-only: no session, rows (every folder) and messages from the store. */
    openSaved(key: string): Promise<void>;
  };
}

export function createSavedSlice(runtime: Runtime): Slice<SavedSlice> {
  return (set, get) => ({
    savedAccounts: [],
    actions: {
      async loadSavedAccounts() {
        const store = await runtime.deps.mailStore?.();
        const accounts = store ? await store.accounts().catch(() => []) : [];
        set({ savedAccounts: accounts.map(savedAccount) });
      },

      async openSaved(key) {
        const { kind } = get().session;
        if (kind !== 'signedOut' && kind !== 'signInFailed') return;
        const store = await runtime.deps.mailStore?.();
        const account = store ? await store.account(key) : undefined;
        if (!store || !account) return;
        const rows = savedRows(await store.messages(key));
        const why: OfflineReason = get().servers.status === 'error' ? 'unreachable' : 'notSignedIn';
        set({
          session: { kind: 'offline', why, account: offlineAccount(account) },
          ...emptyMailbox,
          rows,
          rowIndex: indexRows(rows),
          listing: { phase: 'done', done: rows.length, total: rows.length },
          open: null,
          notice: null,
        });
      },
    },
  });
}

/** Only the headers of this message are on this device (its bytes were never downloaded). */
export class NotSavedError extends Error {
  override readonly name = 'NotSavedError';
  readonly kind = 'notSaved';
}

/** The raw bytes of a saved message, exactly as stored; NotSavedError when they are not here. */
export async function savedMessage(
  runtime: Runtime,
  account: string | undefined,
  uid: string | undefined,
): Promise<Uint8Array> {
  const store = await runtime.deps.mailStore?.();
  const bytes = store && account && uid !== undefined ? await store.raw(account, uid) : undefined;
  if (!bytes) throw new NotSavedError('only the headers of this message are saved on this device');
  return bytes;
}

function savedAccount(account: StoredAccount): SavedAccount {
  return {
    key: account.key,
    server: serverLabel(account.server),
    username: account.username,
    lastSignIn: account.lastSignIn,
  };
}

function offlineAccount(account: StoredAccount): AccountInfo {
  return {
    key: account.key,
    server: serverLabel(account.server),
    username: account.username,
    // Nothing crosses a network while reading from the store.
    encrypted: true,
    link: { kind: 'encrypted' },
    tlsProtocol: undefined,
    loginMethod: undefined,
    pipelining: false,
    implementation: undefined,
    notes: [],
    oauth: undefined,
  };
}

/**
 * The rows of a read-only mailbox, every folder's (each row in its place; emptied ones left out), oldest
 * first as POP3 numbers them (by first seen, then UIDL). The numbers are positions in this list only:
 * nothing is sent to a server while offline.
 */
export function savedRows(messages: readonly StoredMessage[]): MessageRow[] {
  const ordered = messages.filter((message) => message.place !== 'erased').sort(byArrival);
  return ordered.map((message, index) => {
    const row = makeRow(
      { number: index + 1, uid: message.uid, size: message.storedBytes || message.size },
      message.headers,
      message.read,
      false,
    );
    // A record without headers has nothing more coming: no TOP is sent offline.
    const marked = { ...row, starred: message.starred, place: message.place };
    return message.headers ? marked : { ...marked, status: 'failed' as const };
  });
}
