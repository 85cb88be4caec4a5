// A virtualised list's `getItemKey`, one function per list. TanStack Virtual rebuilds the position of
// every item whenever the function it is given is a new one (it is in the memo of its measurements),
// so an inline `(index) => …` made each render (every scroll event, under its flushSync) walk all
// 100,000 rows, calling the key function for each: measured as the scrolling's long tasks.
type Key = string | number;

const byList = new WeakMap<readonly unknown[], { keyOf: unknown; itemKey: (index: number) => Key }>();

/**
 * The key of each index of `list` by `keyOf` (the index itself past its end), the same function for
 * the same list array and key function: a new one only when the list itself is new.
 */
export function itemKeys<T>(list: readonly T[], keyOf: (item: T) => Key): (index: number) => Key {
  const known = byList.get(list);
  if (known && known.keyOf === keyOf) return known.itemKey;
  const itemKey = (index: number): Key => {
    const item = list[index];
    return item === undefined ? index : keyOf(item);
  };
  byList.set(list, { keyOf, itemKey });
  return itemKey;
}

/**
 * The React keys of a virtualised list's shown rows: slots 0…n-1, handed out so that a row (by index)
 * that stays shown keeps its slot, and one scrolled in takes a slot one scrolled out left. React then
 * changes that slot's elements instead of removing a row's and creating another's: keyed by message,
 * each wheel step made and dropped about ten rows' elements (`createElement`, `appendChild`,
 * `removeChild` 1.3 s sampled in three scrolling tasks at 10,000 messages, load 31).
 */
export class RowSlots {
  private slotOf = new Map<number, number>();

  /** The slot of each index shown, in order (the same answer again for the same indices). */
  assign(indices: readonly number[]): number[] {
    const next = new Map<number, number>();
    const taken = new Set<number>();
    for (const index of indices) {
      const slot = this.slotOf.get(index);
      if (slot !== undefined) {
        next.set(index, slot);
        taken.add(slot);
      }
    }
    let free = 0;
    for (const index of indices) {
      if (next.has(index)) continue;
      while (taken.has(free)) free++;
      next.set(index, free);
      taken.add(free);
    }
    this.slotOf = next;
    return indices.map((index) => next.get(index)!);
  }
}
