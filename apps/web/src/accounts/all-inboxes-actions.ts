import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../store/app-state.js';
import { selectRow } from '../store/selectors.js';
import type { MessageRow } from '../store/rows.js';
import { keepShown, selectAllOf, selectIn, selectOnlyKey } from '../store/selection.js';
import type { AccountEntry, AccountsState, AllInboxesActions } from './accounts-state.js';
import { parseMergedKey } from './all-inboxes.js';

type Get = () => AccountsState;
type Set = (partial: Partial<AccountsState>) => void;

/** One account's part of a list of merged keys: its store and its message numbers. */
interface AccountPart {
  readonly entry: AccountEntry;
  readonly numbers: number[];
}

/** Merged keys split by account, in the order the accounts were added; unknown keys dropped. */
export function partsOf(entries: readonly AccountEntry[], keys: readonly string[]): AccountPart[] {
  const byId = new Map<string, number[]>();
  for (const key of keys) {
    const parsed = parseMergedKey(key);
    if (!parsed) continue;
    const numbers = byId.get(parsed.id);
    if (numbers) numbers.push(parsed.number);
    else byId.set(parsed.id, [parsed.number]);
  }
  return entries.flatMap((entry) => {
    const numbers = byId.get(entry.id);
    return numbers ? [{ entry, numbers }] : [];
  });
}

function rowsOf(state: AppState, numbers: readonly number[]): MessageRow[] {
  return numbers.flatMap((number) => {
    const row = selectRow(state, number);
    return row ? [row] : [];
  });
}

/** The settings store All inboxes saves its preferences through: the first signed-in account's. */
function baseStore(state: AccountsState): StoreApi<AppState> | undefined {
  const id = state.signedIn[0];
  return (state.entries.find((entry) => entry.id === id) ?? state.entries[0])?.store;
}

/**
 * All inboxes' selection and bulk actions. The selection is `selection.ts`'s model over merged keys;
 * every action hands each account its own messages and calls that account's mailbox action
 * (`deleteMessages`, `moveMessages`, `setReadOf`, `setStarred`), so each message is deleted, archived
 * or marked exactly as in that account's own list — a Delete goes to that account's Trash or DELE as
 * its server-copy policy says, and no server copy goes before the local one is verified there.
 */
export function createAllInboxesActions(get: Get, set: Set): AllInboxesActions {
  const setSelection = (next: ReturnType<typeof selectOnlyKey<string>>) =>
    set({ allInboxes: { ...get().allInboxes, ...next } });

  /** After a move or delete: the selection keeps what is still in an Inbox (a DELE'd row stays, greyed). */
  const dropMoved = () => {
    const { entries, allInboxes } = get();
    const next = keepShown(allInboxes, (key) => {
      const parsed = parseMergedKey(key);
      const entry = parsed && entries.find((known) => known.id === parsed.id);
      return entry !== undefined && selectRow(entry.store.getState(), parsed!.number)?.place === 'inbox';
    });
    if (next !== allInboxes) setSelection(next);
  };

  return {
    selectInAll(key) {
      setSelection(selectOnlyKey(key));
    },

    selectWithInAll(key, mode, shown) {
      setSelection(selectIn(get().allInboxes, shown, key, mode));
    },

    selectAllInAll(shown) {
      setSelection(selectAllOf(get().allInboxes, shown));
    },

    async deleteInAll(keys) {
      // Each account deletes its own, all at once: each has its own session and its own policy.
      await Promise.all(
        partsOf(get().entries, keys).map(({ entry, numbers }) =>
          entry.store.getState().actions.deleteMessages(numbers),
        ),
      );
      dropMoved();
    },

    archiveInAll(keys) {
      // Archive is a local folder: only where the account keeps mail here (as its own list offers it).
      for (const { entry, numbers } of partsOf(get().entries, keys)) {
        if (entry.store.getState().device.account === undefined) continue;
        entry.store.getState().actions.moveMessages(numbers, 'archive');
      }
      dropMoved();
    },

    setReadInAll(keys, read) {
      for (const { entry, numbers } of partsOf(get().entries, keys))
        entry.store.getState().actions.setReadOf(numbers, read);
    },

    toggleStarInAll(keys) {
      const parts = partsOf(get().entries, keys);
      const all = parts.flatMap(({ entry, numbers }) => rowsOf(entry.store.getState(), numbers));
      const starred = !all.every((row) => row.starred);
      for (const { entry, numbers } of parts) entry.store.getState().actions.setStarred(numbers, starred);
    },

    toggleConversationInAll(id, open) {
      const expanded = new Set(get().allInboxes.expanded);
      if (open ?? !expanded.has(id)) expanded.add(id);
      else expanded.delete(id);
      set({ allInboxes: { ...get().allInboxes, expanded } });
    },

    setGroupedAll(grouped) {
      baseStore(get())?.getState().actions.setGroupedAllInboxes(grouped);
    },
  };
}
