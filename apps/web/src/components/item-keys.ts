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
