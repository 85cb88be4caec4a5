/**
 * The list's selection model: `selected` is the current message (the keyboard's place, the one a
 * plain click or j/k lands on), `selection` every message selected with it (Ctrl/Cmd-click, Shift-click,
 * Shift+arrows, x, "Select all"), `anchor` where a Shift range starts. A plain selection is the current
 * message alone; bulk actions act on `selection`. Ranges and "Select all" are over the list as shown
 * (`shown`, message numbers in their order on screen), which only the view knows. All inboxes uses
 * the same model over its own keys (account and message number, `mergedKey`).
 */
export interface Selection<K = number> {
  readonly selected: K | null;
  readonly selection: ReadonlySet<K>;
  readonly anchor: K | null;
}

/** How a click or key changes the selection. */
export type SelectMode =
  /** Plain click, j/k, arrows: this message alone. */
  | 'only'
  /** Ctrl/Cmd-click, x: this message in or out, the others kept. */
  | 'toggle'
  /** Shift-click, Shift+arrows: the messages from the anchor to this one. */
  | 'range';

export const noSelection: Selection = { selected: null, selection: new Set(), anchor: null };

/** This message alone (or nothing). */
export function selectOnly(number: number | null): Selection {
  return selectOnlyKey(number);
}

/** `selectOnly` over any keys (All inboxes'). */
export function selectOnlyKey<K>(number: K | null): Selection<K> {
  return number === null
    ? { selected: null, selection: new Set(), anchor: null }
    : { selected: number, selection: new Set([number]), anchor: number };
}

export function selectIn<K>(
  current: Selection<K>,
  shown: readonly K[],
  number: K,
  mode: SelectMode,
): Selection<K> {
  switch (mode) {
    case 'only':
      return selectOnlyKey(number);
    case 'toggle': {
      const selection = new Set(current.selection);
      if (selection.has(number)) selection.delete(number);
      else selection.add(number);
      return { selected: number, selection, anchor: number };
    }
    case 'range': {
      const anchor = current.anchor ?? current.selected ?? number;
      const from = shown.indexOf(anchor);
      const to = shown.indexOf(number);
      if (from < 0 || to < 0) return selectOnlyKey(number);
      const range = shown.slice(Math.min(from, to), Math.max(from, to) + 1);
      return { selected: number, selection: new Set(range), anchor };
    }
  }
}

/** "Select all": every message shown; the current one stays current when it is shown. */
export function selectAllOf<K>(current: Selection<K>, shown: readonly K[]): Selection<K> {
  if (shown.length === 0) return selectOnlyKey<K>(null);
  const selected =
    current.selected !== null && shown.includes(current.selected) ? current.selected : shown[0]!;
  return { selected, selection: new Set(shown), anchor: selected };
}

/** The selection without the messages that are no longer shown where they were (moved, deleted, gone). */
export function keepShown<K>(current: Selection<K>, exists: (number: K) => boolean): Selection<K> {
  const selection = new Set([...current.selection].filter(exists));
  const selected = current.selected !== null && exists(current.selected) ? current.selected : null;
  if (selection.size === current.selection.size && selected === current.selected) return current;
  return { selected, selection, anchor: selected };
}
