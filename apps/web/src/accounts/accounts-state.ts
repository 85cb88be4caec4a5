import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../store/app-state.js';
import type { Selection, SelectMode } from '../store/selection.js';

/**
 * Several accounts in one tab. Each signed-in account is one **account runtime**: a whole app store
 * (`createAppStore`) with its own Runtime — its POP3 session, password, header cache, download,
 * timers — and its own slices (rows, selection, reader, device settings, policies, identity). The
 * accounts store above them only keeps which runtimes exist, which one is shown, and what spans
 * them (All inboxes, the idle lock, Sign out of all). Protocol work stays in each runtime's engine.
 */
export interface AccountEntry {
  /** This tab's id for the runtime (an account being added has no account key yet). */
  readonly id: string;
  readonly store: StoreApi<AppState>;
  readonly colour: string;
}

/** What the tab shows: one account's mailbox (or its sign-in form while adding it), or All inboxes. */
export type AccountsView =
  { readonly kind: 'account'; readonly id: string } | { readonly kind: 'allInboxes' };

/**
 * "Add account": a new runtime shown with its sign-in form, while every other keeps its session.
 * `idle`: nothing being added; `adding`: that entry's form is up, `returnTo` is shown when it is cancelled.
 */
export type Adding =
  | { readonly kind: 'idle' }
  | { readonly kind: 'adding'; readonly id: string; readonly returnTo: AccountsView };

/**
 * All inboxes: the text searched in every account, the message open (in its own account), the
 * selection (the list's own model, `selection.ts`, over merged keys `accountId:number`) and the
 * conversations opened in the list (ids across accounts, `conversationsAcross`).
 */
export interface AllInboxesState extends Selection<string> {
  readonly text: string;
  readonly open: { readonly id: string; readonly number: number } | null;
  readonly expanded: ReadonlySet<string>;
}

/**
 * What All inboxes does with its selection: each message goes to its own account's action (Delete,
 * Archive, read marks, stars of that account's mailbox slice), under that account's policies.
 * `keys` are the messages the selection stands for (`selectionTargets`); ranges and "Select all"
 * are over `shown`, the merged keys in their order on screen.
 */
export interface AllInboxesActions {
  selectInAll(key: string | null): void;
  selectWithInAll(key: string, mode: SelectMode, shown: readonly string[]): void;
  selectAllInAll(shown: readonly string[]): void;
  deleteInAll(keys: readonly string[]): Promise<void>;
  archiveInAll(keys: readonly string[]): void;
  setReadInAll(keys: readonly string[], read: boolean): void;
  /** Stars them all, or unstars them when all of them are starred. */
  toggleStarInAll(keys: readonly string[]): void;
  /** Opens or closes a conversation of All inboxes (`open` omitted: the other way). */
  toggleConversationInAll(id: string, open?: boolean): void;
  /** "Group by conversation" in All inboxes, remembered with the preferences. */
  setGroupedAll(grouped: boolean): void;
}

export interface AccountsState {
  /** In the order they were added; never empty (the first is the sign-in page's). */
  readonly entries: readonly AccountEntry[];
  /** The ids of the entries with an account in them, in order (kept in step with their sessions). */
  readonly signedIn: readonly string[];
  readonly view: AccountsView;
  readonly adding: Adding;
  readonly allInboxes: AllInboxesState;
  readonly actions: AllInboxesActions & {
    /** Opens a new account's sign-in form without leaving the others. */
    addAccount(): void;
    /** Back from the add form to what was shown; the unused runtime is dropped. */
    cancelAdding(): void;
    show(id: string): void;
    showAllInboxes(): void;
    /** All inboxes' search: the same text searched in every account (empty: the search ends). */
    searchAll(text: string): Promise<void>;
    /** Opens a row of All inboxes in its own account (its session reads it; its actions act on it). */
    openInAll(id: string, number: number): Promise<void>;
    closeInAll(): void;
    /** The entry already signed in as `key` (another than `except`), for the sign-in form. */
    signedInAs(key: string, except: string): AccountEntry | undefined;
    /** "Check now" in All inboxes: every signed-in account's new-mail check at once (each its own). */
    checkAll(): void;
    /** Sign out of every account (each QUITs: their marked deletions are committed). */
    signOutAll(): Promise<void>;
    /** User activity counts for every account's idle limit. */
    noteActivity(): void;
    /** Page unload, tests: every runtime disposed. */
    dispose(): void;
  };
}
