import { useCallback, useRef } from 'react';
import type { ListEntry } from './grouped-list.js';

/**
 * A conversation row's ▸/▾, the same in one account's list and in All inboxes: closing a conversation
 * with one of its messages current makes its row (`head`) current. Read through refs, so the callback
 * stays the same across renders and the memoized rows are not drawn again.
 */
export function useConversationToggle<K, T>(
  entries: ReadonlyMap<K, ListEntry<T>>,
  current: K | null,
  toggle: (id: string) => void,
  select: (head: K) => void,
): (id: string, head: K) => void {
  const latest = useRef({ entries, current, toggle, select });
  latest.current = { entries, current, toggle, select };
  return useCallback((id: string, head: K) => {
    const now = latest.current;
    const at = now.current === null ? undefined : now.entries.get(now.current);
    now.toggle(id);
    if (at?.kind === 'member' && at.id === id) now.select(head);
  }, []);
}
