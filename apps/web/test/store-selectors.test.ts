import { describe, expect, it } from 'vitest';
import type { MessageRow } from '../src/store/rows.js';
import {
  positionIn,
  selectAccount,
  selectCounts,
  selectDeletedRows,
  selectRow,
  selectSelectedRow,
  visibleRows,
} from '../src/store/selectors.js';
import type { SortKey } from '../src/store/settings.js';
import { message, setup, signInParams } from './support/app.js';

describe('sorting and filtering', () => {
  it('sorts by date, sender, subject and size; filters over sender and subject', async () => {
    const { store, actions } = setup([
      message('a', 'Re: banana', 'Zed <z@example.org>', 'Mon, 10 Nov 2025 09:00:00 +0000', 'x'.repeat(10)),
      message('b', 'apple', 'amy <amy@example.org>', 'Wed, 12 Nov 2025 09:00:00 +0000', 'x'.repeat(500)),
      message('c', 'Cherry', 'Bob <bob@example.org>', 'Tue, 11 Nov 2025 09:00:00 +0000', 'x'.repeat(100)),
    ]);
    await actions.signIn(signInParams);
    const rows = store.getState().rows;
    const subjects = (sort: Parameters<typeof visibleRows>[2], descending: boolean, filter = '') =>
      visibleRows(rows, filter, sort, descending).map((row) => row.subject);
    expect(subjects('date', true)).toEqual(['apple', 'Cherry', 'Re: banana']);
    expect(subjects('date', false)).toEqual(['Re: banana', 'Cherry', 'apple']);
    expect(subjects('sender', false)).toEqual(['apple', 'Cherry', 'Re: banana']);
    expect(subjects('subject', false)).toEqual(['apple', 'Re: banana', 'Cherry']);
    expect(subjects('size', true)).toEqual(['apple', 'Cherry', 'Re: banana']);
    expect(subjects('date', true, 'BOB')).toEqual(['Cherry']);
    expect(subjects('date', true, 'an')).toEqual(['Re: banana']);
  });
});

describe('selectors over 10,000 rows', () => {
  const rows: MessageRow[] = Array.from({ length: 10_000 }, (_, index) => ({
    number: index + 1,
    uid: String(index),
    size: (index * 7919) % 100_000,
    from: { name: `Sender ${index % 97}`, address: `s${index}@example.org` },
    subject: `${index % 3 === 0 ? 'Re: ' : ''}Subject ${(index * 31) % 10_000}`,
    date: index % 50 === 0 ? undefined : Date.UTC(2025, 0, 1) + ((index * 104729) % 1_000_000) * 1000,
    status: 'loaded' as const,
    read: false,
    starred: false,
    deleted: index % 1000 === 0,
    isNew: false,
    search: `sender ${index % 97} subject ${index}`,
    saved: false,
    onServer: true,
    place: 'inbox' as const,
  }));
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  const keyOf: Record<SortKey, (row: MessageRow) => number | string> = {
    date: (row) => row.date ?? -Infinity,
    size: (row) => row.size,
    sender: (row) => row.from?.name || row.from?.address || '',
    subject: (row) => row.subject.replace(/^(?:re\s*:\s*)+/i, ''),
  };
  const compareKeys = (a: number | string, b: number | string) =>
    typeof a === 'string' && typeof b === 'string' ? collator.compare(a, b) : a === b ? 0 : a < b ? -1 : 1;

  for (const sort of ['date', 'sender', 'subject', 'size'] as const) {
    for (const descending of [true, false]) {
      it(`sorts by ${sort} ${descending ? 'descending' : 'ascending'}, ties by number the same way`, () => {
        const list = visibleRows(rows, '', sort, descending, collator);
        expect(list).toHaveLength(rows.length);
        const direction = descending ? -1 : 1;
        const outOfOrder: number[] = [];
        for (let i = 1; i < list.length; i++) {
          const [a, b] = [list[i - 1]!, list[i]!];
          const order =
            compareKeys(keyOf[sort](a), keyOf[sort](b)) * direction || (a.number - b.number) * direction;
          if (order >= 0) outOfOrder.push(i);
        }
        expect(outOfOrder).toEqual([]);
      });
    }
  }

  it('filters over the search text, keeping the sort', () => {
    const list = visibleRows(rows, ' Sender 5 ', 'date', true, collator);
    const expected = rows.filter((row) => row.search.includes('sender 5'));
    expect(list).toHaveLength(expected.length);
    expect(new Set(list.map((row) => row.number))).toEqual(new Set(expected.map((row) => row.number)));
  });

  it('finds a position in a shown list by its index, and -1 for a message not in it', () => {
    const list = visibleRows(rows, '', 'size', true, collator);
    for (const at of [0, 1, 4999, 9999]) expect(positionIn(list, list[at]!.number)).toBe(at);
    expect(positionIn(list, 10_001)).toBe(-1);
    expect(positionIn(list, null)).toBe(-1);
  });
});

describe('selectors over the store', () => {
  it('looks rows up by number through the index, and counts them once per rows array', async () => {
    const { store, actions } = setup();
    await actions.signIn(signInParams);
    let state = store.getState();
    expect(selectRow(state, 2)?.uid).toBe('uid-2');
    expect(selectRow(state, 9)).toBeUndefined();
    expect(selectRow(state, null)).toBeUndefined();
    expect(selectCounts(state)).toEqual({ total: 3, deleted: 0, trash: 0 });
    expect(selectCounts(state)).toBe(selectCounts(state));

    actions.moveTo(2, 'trash');
    state = store.getState();
    expect(selectCounts(state)).toEqual({ total: 3, deleted: 0, trash: 1 });

    actions.select(3);
    await actions.deleteMessage(3);
    state = store.getState();
    expect(selectSelectedRow(state)).toMatchObject({ number: 3, deleted: true });
    expect(selectCounts(state)).toEqual({ total: 3, deleted: 1, trash: 1 });
    expect(selectDeletedRows(state).map((row) => row.uid)).toEqual(['uid-3']);
  });

  it('gives the account while the session is open or broken, and none when signed out', async () => {
    const { store, actions, server } = setup();
    expect(selectAccount(store.getState())).toBeNull();
    await actions.signIn(signInParams);
    expect(selectAccount(store.getState())).toMatchObject({ username: 'demo' });
    server.sessions[0]!.drop();
    expect(store.getState().session.kind).toBe('broken');
    expect(selectAccount(store.getState())).toMatchObject({ username: 'demo' });
    await actions.signOut();
    expect(selectAccount(store.getState())).toBeNull();
  });
});
