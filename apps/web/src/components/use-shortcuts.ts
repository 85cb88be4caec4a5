import { useEffect, useRef, type RefObject } from 'react';
import { useActions, useApp } from '../store/context.js';
import type { MessageRow } from '../store/rows.js';
import { positionIn } from '../store/selectors.js';

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
 * j/k or arrows move, Enter opens, Delete marks for deletion, r refreshes, / goes to the filter,
 * Escape closes the open message (or the log), ? shows the shortcuts.
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
  // The handler is installed once and reads the latest values from this ref.
  const latest = useRef({ rows, selected, openNumber, logOpen, onHelp });
  latest.current = { rows, selected, openNumber, logOpen, onHelp };

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      const { rows, selected, openNumber, logOpen, onHelp } = latest.current;
      const index = positionIn(rows, selected);
      const move = (delta: number) => {
        if (rows.length === 0) return;
        const next = rows[Math.max(0, Math.min(rows.length - 1, index < 0 ? 0 : index + delta))];
        if (next) actions.select(next.number);
      };
      const onList = event.target === listRef.current || event.target === document.body;
      switch (event.key) {
        case 'j':
          move(1);
          break;
        case 'k':
          move(-1);
          break;
        case 'ArrowDown':
          if (!onList) return;
          move(1);
          break;
        case 'ArrowUp':
          if (!onList) return;
          move(-1);
          break;
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
          if (selected === null) return;
          void actions.deleteMessage(selected);
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
