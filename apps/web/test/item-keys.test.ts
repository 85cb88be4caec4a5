import { describe, expect, it } from 'vitest';
import { itemKeys, RowSlots } from '../src/components/item-keys.js';

const byId = (row: { id: string }) => row.id;
const byNumber = (row: { id: string; n: number }) => row.n;

describe('itemKeys (a virtualised list keeps one getItemKey per list)', () => {
  it('keys each index by the key function, and an index past the end by itself', () => {
    const rows = [
      { id: 'a', n: 7 },
      { id: 'b', n: 3 },
    ];
    const key = itemKeys(rows, byId);
    expect([key(0), key(1)]).toEqual(['a', 'b']);
    expect(key(2)).toBe(2);
    expect(key(-1)).toBe(-1);
  });

  it('is the same function for the same list, so the virtualizer does not re-measure every row', () => {
    const rows = [{ id: 'a', n: 1 }];
    expect(itemKeys(rows, byId)).toBe(itemKeys(rows, byId));
  });

  it('is a new function for a new list, even one of equal rows', () => {
    const rows = [{ id: 'a', n: 1 }];
    const next = [...rows];
    const before = itemKeys(rows, byId);
    const after = itemKeys(next, byId);
    expect(after).not.toBe(before);
    expect(after(0)).toBe('a');
  });

  it('is a new function for another key function over the same list', () => {
    const rows = [{ id: 'a', n: 1 }];
    const ids = itemKeys(rows, byId);
    const numbers = itemKeys(rows, byNumber);
    expect(numbers).not.toBe(ids);
    expect(numbers(0)).toBe(1);
    expect(ids(0)).toBe('a');
  });

  it('reads the list it was made for, not a later one', () => {
    const first = [{ id: 'a', n: 1 }];
    const key = itemKeys(first, byId);
    itemKeys([{ id: 'z', n: 9 }], byId);
    expect(key(0)).toBe('a');
  });
});

describe('RowSlots (a shown row keyed by a slot an earlier row left)', () => {
  const range = (start: number, length: number) => Array.from({ length }, (_, i) => start + i);

  it('gives every shown row a slot of its own, from 0', () => {
    const slots = new RowSlots();
    expect(slots.assign(range(40, 27)).sort((a, b) => a - b)).toEqual(range(0, 27));
    expect(new Set(slots.assign(range(99_973, 27))).size).toBe(27);
  });

  it('keeps a row that stays shown in its slot, and gives a row scrolled in the slot of one scrolled out', () => {
    const slots = new RowSlots();
    const before = slots.assign(range(40, 27));
    expect(slots.assign(range(40, 27))).toEqual(before); // the same window again: the same keys
    const after = slots.assign(range(52, 27)); // a wheel step: 12 rows out at the top, 12 in below
    expect(after.slice(0, 15)).toEqual(before.slice(12));
    expect(new Set(after.slice(15))).toEqual(new Set(before.slice(0, 12)));
    // One row more (a partly shown row) takes one new slot; the others stay.
    const longer = slots.assign(range(52, 28));
    expect(longer.slice(0, 27)).toEqual(after);
    expect(longer[27]).toBe(27);
    // A jump far away reuses the same slots, none new.
    expect(slots.assign(range(5_000, 28)).sort((a, b) => a - b)).toEqual(range(0, 28));
  });
});
