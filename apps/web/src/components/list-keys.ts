import { useEffect, useRef, type RefObject } from 'react';

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
 * What a message list does for its shortcuts, over its own keys `K` (one account's message numbers,
 * All inboxes' merged keys). Read afresh at each key press.
 */
export interface ListKeyCommands<K> {
  /** The list as shown, in order. */
  readonly shown: readonly K[];
  /** The current message (the keyboard's place). */
  readonly current: K | null;
  select(key: K): void;
  /** Shift+j/k, Shift+arrows (`range`); x (`toggle`). */
  selectWith(key: K, mode: 'range' | 'toggle'): void;
  selectAll(): void;
  open(key: K): void;
  /** e: undefined where there is nothing to archive into (a folder other than the Inbox). */
  readonly archive: (() => void) | undefined;
  star(): void;
  setRead(read: boolean): void;
  delete(): void;
  refresh(): void;
  /** → opens (true), ← closes (false) the current conversation; false when the key is not used. */
  conversation(open: boolean): boolean;
  /** Escape: closes what is open (the log, the message); false when nothing was. */
  escape(): boolean;
  help(): void;
}

/**
 * The list's keyboard, the same in one account's list and in All inboxes: j/k or arrows move (with
 * Shift the selection grows), x selects or unselects, Ctrl/Cmd+A selects all shown, Enter opens,
 * Delete or # deletes the selection, e archives it, s stars it, Shift+I / Shift+U mark it read /
 * unread, → / ← open and close a conversation, Home / End, r refreshes, / goes to the search field,
 * Escape closes, ? shows the shortcuts. None of them while typing in a field.
 */
export function useListKeys<K>(
  commands: ListKeyCommands<K>,
  searchRef: RefObject<HTMLInputElement | null>,
  listRef: RefObject<HTMLElement | null>,
): void {
  // The handler is installed once and reads the latest commands from this ref.
  const latest = useRef(commands);
  latest.current = commands;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || isTyping(event.target)) return;
      const list = latest.current;
      const { shown, current } = list;
      const onList = event.target === listRef.current || event.target === document.body;
      if (event.ctrlKey || event.metaKey) {
        // Ctrl/Cmd+A on the list selects what is shown (elsewhere it is the page's own).
        if (event.key.toLowerCase() !== 'a' || !onList) return;
        list.selectAll();
        event.preventDefault();
        return;
      }
      const index = current === null ? -1 : shown.indexOf(current);
      const move = (delta: number, extend = false) => {
        if (shown.length === 0) return;
        const next = shown[Math.max(0, Math.min(shown.length - 1, index < 0 ? 0 : index + delta))];
        if (next === undefined) return;
        if (extend) list.selectWith(next, 'range');
        else list.select(next);
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
          if (current === null) move(0);
          else list.selectWith(current, 'toggle');
          break;
        case 'e':
          if (!list.archive) return;
          list.archive();
          break;
        case 's':
          list.star();
          break;
        case 'I':
          list.setRead(true);
          break;
        case 'U':
          list.setRead(false);
          break;
        case 'ArrowRight':
        case 'ArrowLeft':
          if (!onList || current === null || !list.conversation(event.key === 'ArrowRight')) return;
          break;
        case 'Home':
          if (!onList || shown.length === 0) return;
          list.select(shown[0]!);
          break;
        case 'End':
          if (!onList || shown.length === 0) return;
          list.select(shown[shown.length - 1]!);
          break;
        case 'Enter':
          if (isActivatable(event.target) || current === null) return;
          list.open(current);
          break;
        case 'Delete':
        case '#':
          list.delete();
          break;
        case 'r':
          list.refresh();
          break;
        case '/':
          searchRef.current?.focus();
          searchRef.current?.select();
          break;
        case '?':
          list.help();
          break;
        case 'Escape':
          if (!list.escape()) return;
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [searchRef, listRef]);
}
