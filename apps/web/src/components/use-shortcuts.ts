import { useMemo, type RefObject } from 'react';
import { useActions, useApp } from '../store/context.js';
import type { MessageRow } from '../store/rows.js';
import { listEntries } from '../conversations/grouping.js';
import { useListKeys } from './list-keys.js';

/**
 * One account's list keyboard (`useListKeys`): its selection, its actions; e archives only in the
 * Inbox, Escape closes the protocol log first, then the open message.
 */
export function useShortcuts({
  rows,
  filterRef,
  listRef,
  onHelp,
}: {
  rows: readonly MessageRow[];
  filterRef: RefObject<HTMLInputElement | null>;
  listRef: RefObject<HTMLDivElement | null>;
  onHelp: () => void;
}) {
  const actions = useActions();
  const selected = useApp((state) => state.selected);
  const openNumber = useApp((state) => state.open?.number ?? null);
  const logOpen = useApp((state) => state.logOpen);
  const folder = useApp((state) => state.folder);
  const shown = useMemo(() => rows.map((row) => row.number), [rows]);

  useListKeys<number>(
    {
      shown,
      current: selected,
      select: (number) => actions.select(number),
      selectWith: (number, mode) => actions.selectWith(number, mode, shown),
      selectAll: () => actions.selectAll(shown),
      open: (number) => void actions.openMessage(number),
      archive: folder === 'inbox' ? () => actions.moveSelected('archive') : undefined,
      star: () => actions.toggleStarSelected(),
      setRead: (read) => actions.setReadSelected(read),
      delete: () => void actions.deleteSelected(),
      refresh: () => void actions.refresh(),
      conversation(open) {
        // On a conversation: → opens it in the list, ← closes it (from inside it too).
        if (selected === null) return false;
        const entries = listEntries(rows);
        const entry = entries.get(selected);
        if (!entry) return false;
        if (entry.kind === 'conversation') {
          if (entry.expanded === open) return false;
          actions.toggleConversation(entry.id, open);
          return true;
        }
        if (open) return false;
        actions.toggleConversation(entry.id, false);
        const head = rows.find((row) => {
          const other = entries.get(row.number);
          return other?.kind === 'conversation' && other.id === entry.id;
        });
        if (head) actions.select(head.number);
        return true;
      },
      escape() {
        if (logOpen) actions.toggleLog(false);
        else if (openNumber !== null) {
          actions.closeMessage();
          listRef.current?.focus();
        } else return false;
        return true;
      },
      help: onHelp,
    },
    filterRef,
    listRef,
  );
}
