import { useEffect, useRef, type RefObject } from 'react';
import { useActions, useApp } from '../store/context.js';
import type { MessageRow } from '../store/rows.js';
import { positionIn } from '../store/selectors.js';
import { listEntries } from '../conversations/grouping.js';

/** Elements where typed keys belong to the element, not to the shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ['BUTTON', 'A', 'SUMMARY'].includes(target.tagName);
}

/**
 * j/k or arrows move (with Shift the selection grows), x selects or unselects, Ctrl/Cmd+A selects all
 * shown, Enter opens, Delete or # deletes the selection, e archives it, s stars it, Shift+I / Shift+U
 * mark it read / unread, → / ← open and close a conversation (grouped by conversation), r refreshes,
 * / goes to "Search mail", Escape closes the open message (or the log), ? shows the shortcuts. None of
 * them while typing in a field.
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
  // The handler is installed once and reads the latest values from this ref.
  const latest = useRef({ rows, selected, openNumber, logOpen, folder, onHelp });
  latest.current = { rows, selected, openNumber, logOpen, folder, onHelp };

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || isTyping(event.target)) return;
      const { rows, selected, openNumber, logOpen, folder, onHelp } = latest.current;
      const shown = () => rows.map((row) => row.number);
      const onList = event.target === listRef.current || event.target === document.body;
      if (event.ctrlKey || event.metaKey) {
        // Ctrl/Cmd+A on the list selects what is shown (elsewhere it is the page's own).
        if (event.key.toLowerCase() !== 'a' || !onList) return;
        actions.selectAll(shown());
        event.preventDefault();
        return;
      }
      const index = positionIn(rows, selected);
      const move = (delta: number, extend = false) => {
        if (rows.length === 0) return;
        const next = rows[Math.max(0, Math.min(rows.length - 1, index < 0 ? 0 : index + delta))];
        if (!next) return;
        if (extend) actions.selectWith(next.number, 'range', shown());
        else actions.select(next.number);
      };
      switch (event.key) {
        case 'j':
        case 'J':
          move(1, event.shiftKey);
          break;
        case 'k':
        case 'K':
          move(-1, event.shiftKey);
          break;
        case 'ArrowDown':
          if (!onList) return;
          move(1, event.shiftKey);
          break;
        case 'ArrowUp':
          if (!onList) return;
          move(-1, event.shiftKey);
          break;
        case 'x':
          if (selected === null) move(0);
          else actions.selectWith(selected, 'toggle', shown());
          break;
        case 'e':
          if (folder !== 'inbox') return;
          actions.moveSelected('archive');
          break;
        case 's':
          actions.toggleStarSelected();
          break;
        case 'I':
          actions.setReadSelected(true);
          break;
        case 'U':
          actions.setReadSelected(false);
          break;
        case 'ArrowRight':
        case 'ArrowLeft': {
          // On a conversation: → opens it in the list, ← closes it (from inside it too).
          if (!onList || selected === null) return;
          const entries = listEntries(rows);
          const entry = entries.get(selected);
          if (!entry) return;
          const open = event.key === 'ArrowRight';
          if (entry.kind === 'conversation') {
            if (entry.expanded === open) return;
            actions.toggleConversation(entry.id, open);
          } else {
            if (open) return;
            actions.toggleConversation(entry.id, false);
            const head = rows.find((row) => {
              const other = entries.get(row.number);
              return other?.kind === 'conversation' && other.id === entry.id;
            });
            if (head) actions.select(head.number);
          }
          break;
        }
        case 'Home':
          if (!onList || rows.length === 0) return;
          actions.select(rows[0]!.number);
          break;
        case 'End':
          if (!onList || rows.length === 0) return;
          actions.select(rows[rows.length - 1]!.number);
          break;
        case 'Enter':
          if (isActivatable(event.target) || selected === null) return;
          void actions.openMessage(selected);
          break;
        case 'Delete':
        case '#':
          void actions.deleteSelected();
          break;
        case 'r':
          void actions.refresh();
          break;
        case '/':
          filterRef.current?.focus();
          filterRef.current?.select();
          break;
        case '?':
          onHelp();
          break;
        case 'Escape':
          if (logOpen) actions.toggleLog(false);
          else if (openNumber !== null) {
            actions.closeMessage();
            listRef.current?.focus();
          } else return;
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [actions, filterRef, listRef]);
}
