import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppState } from '../store/app-state.js';
import type { SessionState } from '../store/session-slice.js';
import { selectAccount } from '../store/selectors.js';
import type { AccountEntry, AccountsState, AccountsView } from './accounts-state.js';
import { nextColour } from './colours.js';
import { createAllInboxesActions } from './all-inboxes-actions.js';
import { selectOnlyKey } from '../store/selection.js';

export type { AccountEntry, AccountsState, AccountsView } from './accounts-state.js';

/** All inboxes as it opens: no search, nothing open, selected or expanded. */
const noSearch: AccountsState['allInboxes'] = {
  text: '',
  open: null,
  ...selectOnlyKey<string>(null),
  expanded: new Set(),
};

export interface AccountsDeps {
  /** A new account runtime: one app store with the page's deps, `forgetDevice` replaced by the one given. */
  readonly createAccount: (parts: { forgetDevice: () => Promise<void> }) => StoreApi<AppState>;
  /** The page's cleanup after a shared-computer session (the mail store if empty, the offline copy). */
  readonly forgetDevice?: () => Promise<void>;
}

/** The session has an account in it: signed in (open, reopening, broken), locked, or offline. */
export function hasAccount(session: SessionState): boolean {
  return 'account' in session;
}

/** The entries with an account in them, in the order they were added (the switcher's links). */
export function signedInEntries(state: Pick<AccountsState, 'entries'>): AccountEntry[] {
  return state.entries.filter((entry) => hasAccount(entry.store.getState().session));
}

export function entryOf(state: Pick<AccountsState, 'entries'>, id: string): AccountEntry | undefined {
  return state.entries.find((entry) => entry.id === id);
}

/** The entry whose store the tab shows (All inboxes: none). */
export function shownEntry(state: AccountsState): AccountEntry | undefined {
  return state.view.kind === 'account' ? entryOf(state, state.view.id) : undefined;
}

/**
 * The accounts store: a list of account runtimes (one app store each, see accounts-state.ts) and
 * what spans them. It watches each runtime's session: a sign-out removes that runtime (unless it is
 * the last: the sign-in page stays), one account locked by the idle limit locks every other, and a
 * preference changed in one (language, theme, sort) is the others' too.
 */
export function createAccountsStore(deps: AccountsDeps): StoreApi<AccountsState> {
  let counter = 0;
  // A shared-computer session's cleanup waits for the last account to leave (see forgetDevice).
  let forgetPending = false;
  const unsubscribe = new Map<string, () => void>();

  return createStore<AccountsState>()((set, get) => {
    const othersSignedIn = (id: string) => signedInEntries(get()).some((entry) => entry.id !== id);

    const forgetDevice = (id: string) => async () => {
      if (othersSignedIn(id)) {
        forgetPending = true;
        return;
      }
      forgetPending = false;
      await deps.forgetDevice?.();
    };

    const remove = (id: string) => {
      unsubscribe.get(id)?.();
      unsubscribe.delete(id);
      const entries = get().entries.filter((entry) => entry.id !== id);
      const { view, adding } = get();
      const first = signedInEntries({ entries })[0] ?? entries[0]!;
      const gone = view.kind === 'account' && view.id === id;
      const allEmpty = view.kind === 'allInboxes' && signedInEntries({ entries }).length === 0;
      set({
        entries,
        signedIn: signedInEntries({ entries }).map((known) => known.id),
        view: gone || allEmpty ? { kind: 'account', id: first.id } : view,
        adding: adding.kind === 'adding' && adding.id === id ? { kind: 'idle' } : adding,
      });
      forgetIfLast();
    };

    const syncSignedIn = () => {
      const ids = signedInEntries(get()).map((entry) => entry.id);
      const { signedIn } = get();
      if (ids.length !== signedIn.length || ids.some((id, at) => signedIn[at] !== id)) set({ signedIn: ids });
    };

    const forgetIfLast = () => {
      if (!forgetPending || signedInEntries(get()).length > 0) return;
      forgetPending = false;
      void deps.forgetDevice?.().catch(() => undefined);
    };

    const watch = (entry: AccountEntry) => {
      const stop = entry.store.subscribe((state, previous) => {
        if (state.settings !== previous.settings) {
          for (const other of get().entries) {
            if (other.id !== entry.id && other.store.getState().settings !== state.settings)
              other.store.setState({ settings: state.settings });
          }
        }
        // The reader's own close (Escape, "Back to the list") closes All inboxes' open message too.
        const shownInAll = get().allInboxes.open;
        if (state.open === null && previous.open !== null && shownInAll?.id === entry.id)
          set({ allInboxes: { ...get().allInboxes, open: null } });
        if (state.session === previous.session) return;
        syncSignedIn();
        const { kind } = state.session;
        if (kind === 'locked' && previous.session.kind !== 'locked') {
          // The idle limit is the user's, not an account's: every password goes at once.
          for (const other of get().entries) {
            if (other.id !== entry.id) void other.store.getState().actions.lock();
          }
        }
        const adding = get().adding;
        if (kind === 'open' && adding.kind === 'adding' && adding.id === entry.id)
          set({ adding: { kind: 'idle' } });
        if (kind !== 'signedOut' || !hasAccount(previous.session)) return;
        if (get().entries.length > 1) remove(entry.id);
        else forgetIfLast();
      });
      unsubscribe.set(entry.id, stop);
    };

    const newEntry = (taken: readonly string[]): AccountEntry => {
      counter += 1;
      const id = `account-${counter}`;
      const entry: AccountEntry = {
        id,
        store: deps.createAccount({ forgetDevice: forgetDevice(id) }),
        colour: nextColour(taken),
      };
      watch(entry);
      return entry;
    };

    const cancelAdding = () => {
      const { adding } = get();
      if (adding.kind !== 'adding') return;
      const entry = entryOf(get(), adding.id);
      const returnTo: AccountsView = adding.returnTo;
      entry?.store.getState().actions.cancelSignIn();
      // A sign-in window still open for it: its return is then ignored (nobody waits for it).
      entry?.store.getState().actions.cancelOAuth();
      entry?.store.getState().actions.dispose();
      remove(adding.id);
      // What was shown may have gone meanwhile (signed out from the switcher).
      const back =
        returnTo.kind === 'account'
          ? entryOf(get(), returnTo.id) !== undefined
          : signedInEntries(get()).length > 0;
      if (back) set({ view: returnTo });
    };

    /** Leaving All inboxes: its search is not any one account's, and its open message closes. */
    const leaveAllInboxes = () => {
      const { view, allInboxes } = get();
      if (view.kind !== 'allInboxes') return;
      for (const entry of get().entries) {
        if (allInboxes.text !== '') entry.store.getState().actions.clearSearch();
      }
      set({ allInboxes: noSearch });
    };

    const first = newEntry([]);
    return {
      entries: [first],
      signedIn: [],
      view: { kind: 'account', id: first.id },
      adding: { kind: 'idle' },
      allInboxes: noSearch,
      actions: {
        ...createAllInboxesActions(get, set),

        addAccount() {
          const { adding, view } = get();
          leaveAllInboxes();
          if (adding.kind === 'adding') return set({ view: { kind: 'account', id: adding.id } });
          const entry = newEntry(get().entries.map((known) => known.colour));
          // Preferences follow the account shown (the new runtime read them from storage).
          const shown = shownEntry(get()) ?? get().entries[0]!;
          entry.store.setState({ settings: shown.store.getState().settings });
          set({
            entries: [...get().entries, entry],
            view: { kind: 'account', id: entry.id },
            adding: { kind: 'adding', id: entry.id, returnTo: view },
          });
        },

        cancelAdding,

        show(id) {
          if (!entryOf(get(), id)) return;
          leaveAllInboxes();
          set({ view: { kind: 'account', id } });
        },

        async searchAll(text) {
          set({ allInboxes: { ...get().allInboxes, text } });
          await Promise.all(
            signedInEntries(get()).map((entry) =>
              text.trim() === ''
                ? entry.store.getState().actions.clearSearch()
                : entry.store.getState().actions.searchMail(text),
            ),
          );
        },

        async openInAll(id, number) {
          const entry = entryOf(get(), id);
          if (!entry) return;
          // A plain click: this message alone is selected, and opens (as in one account's list).
          set({
            allInboxes: { ...get().allInboxes, ...selectOnlyKey(`${id}:${number}`), open: { id, number } },
          });
          await entry.store.getState().actions.openMessage(number);
        },

        closeInAll() {
          const { open } = get().allInboxes;
          if (open) entryOf(get(), open.id)?.store.getState().actions.closeMessage();
          set({ allInboxes: { ...get().allInboxes, open: null } });
        },

        showAllInboxes() {
          if (signedInEntries(get()).length > 0) set({ view: { kind: 'allInboxes' } });
        },

        signedInAs(key, except) {
          return get().entries.find(
            (entry) => entry.id !== except && selectAccount(entry.store.getState())?.key === key,
          );
        },

        checkAll() {
          for (const entry of signedInEntries(get())) entry.store.getState().actions.checkNow();
        },

        async signOutAll() {
          cancelAdding();
          leaveAllInboxes();
          await Promise.all(signedInEntries(get()).map((entry) => entry.store.getState().actions.signOut()));
        },

        noteActivity() {
          for (const entry of get().entries) entry.store.getState().actions.noteActivity();
        },

        dispose() {
          for (const stop of unsubscribe.values()) stop();
          unsubscribe.clear();
          for (const entry of get().entries) entry.store.getState().actions.dispose();
        },
      },
    };
  });
}
