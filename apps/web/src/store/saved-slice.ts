import {
  byArrival,
  type AccountAppearance,
  type AccountHoldings,
  type StoredAccount,
  type StoredMessage,
} from '../mailstore/index.js';
import { serverLabel, type ServerChoice } from '../session/types.js';
import { mayRememberPassword } from '../session/password-credentials.js';
import type { Runtime, Slice } from './app-state.js';
import { emptyMailbox } from './mailbox-slice.js';
import { indexRows, makeRow, type MessageRow } from './rows.js';
import type { AccountInfo } from './session-slice.js';
import { selectAccount } from './selectors.js';

/** An account remembered on this device, as the sign-in page lists it ("Open saved mail"). */
export interface SavedAccount {
  readonly key: string;
  readonly server: string;
  /** The server as chosen at sign-in: choosing the account fills the form with it. */
  readonly choice: ServerChoice;
  readonly username: string;
  readonly lastSignIn: number;
  /** "Display name" and "Colour" from Account settings, if set. */
  readonly appearance: AccountAppearance | undefined;
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
    /** What the account keeps here (said in words before "Forget" deletes it); undefined without a store. */
    savedHoldings(key: string): Promise<AccountHoldings | undefined>;
    /**
     * Forgets a remembered account on this device — its entry and everything saved for it (asked in
     * words first, see SavedAccounts) — and lists the rest. Never an account signed in: it is refused.
     */
    forgetSaved(key: string): Promise<void>;
    /**
     * Whether the sign-in form offers "Remember the password in this browser": the bridge allows it,
     * the browser has the Credential Management API, and this is not a shared computer.
     */
    passwordOffered(sharedComputer: boolean): boolean;
    /** The password the browser's own store has for `username` (it may ask the user); where offered. */
    browserPassword(username: string, sharedComputer: boolean): Promise<string | undefined>;
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

      async savedHoldings(key) {
        const store = await runtime.deps.mailStore?.();
        return store?.holdings(key);
      },

      async forgetSaved(key) {
        if (selectAccount(get())?.key === key) return;
        const store = await runtime.deps.mailStore?.();
        if (!store) return;
        await store.forgetAccount(key);
        // The search index follows the store: its entries for the account go with the next sync.
        void runtime.deps
          .search?.()
          ?.sync(key)
          .catch(() => undefined);
        set({ savedAccounts: get().savedAccounts.filter((account) => account.key !== key) });
      },

      passwordOffered(sharedComputer) {
        return mayRememberPassword(get().servers.policy, runtime.deps.passwords, sharedComputer);
      },

      async browserPassword(username, sharedComputer) {
        if (!mayRememberPassword(get().servers.policy, runtime.deps.passwords, sharedComputer))
          return undefined;
        return runtime.deps.passwords!.find(username).catch(() => undefined);
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
    choice: account.server,
    username: account.username,
    lastSignIn: account.lastSignIn,
    appearance: account.settings.appearance,
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
