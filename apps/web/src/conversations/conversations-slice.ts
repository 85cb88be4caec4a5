import type { Runtime, Slice } from '../store/app-state.js';
import { savePreferences } from '../store/preferences-slice.js';
import { accountKeyOf } from './grouping.js';

export interface ConversationsSlice {
  /** Conversations opened in the list (by conversation id); the others show as one row. */
  readonly expanded: ReadonlySet<string>;
  readonly actions: {
    /** "Group by conversation" for the account shown, remembered with the preferences. */
    setGrouped(grouped: boolean): void;
    /** "Group by conversation" in All inboxes (a preference shared by the accounts, as the sort is). */
    setGroupedAllInboxes(grouped: boolean): void;
    /** Opens or closes a conversation in the list (`open` omitted: the other way). */
    toggleConversation(id: string, open?: boolean): void;
  };
}

export function createConversationsSlice(runtime: Runtime): Slice<ConversationsSlice> {
  return (set, get) => ({
    expanded: new Set(),
    actions: {
      setGrouped(grouped) {
        const state = get();
        const key = accountKeyOf(state);
        if (key === undefined) return;
        const others = state.settings.groupedAccounts.filter((account) => account !== key);
        savePreferences({ set, get }, runtime, { groupedAccounts: grouped ? [...others, key] : others });
      },
      setGroupedAllInboxes(grouped) {
        savePreferences({ set, get }, runtime, { groupedAllInboxes: grouped });
      },
      toggleConversation(id, open) {
        const expanded = new Set(get().expanded);
        if (open ?? !expanded.has(id)) expanded.add(id);
        else expanded.delete(id);
        set({ expanded });
      },
    },
  });
}
