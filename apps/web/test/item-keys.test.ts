import { describe, expect, it } from 'vitest';
import { itemKeys } from '../src/components/item-keys.js';

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
