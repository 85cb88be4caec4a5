import { describe, expect, it } from 'vitest';
import { mergeInboxes, type InboxSource } from '../src/accounts/all-inboxes.js';
import { idleSearch, type SearchState } from '../src/search/search-slice.js';
import { parseQuery } from '../src/search/query.js';
import { makeRow, type MessageRow } from '../src/store/rows.js';

function row(
  number: number,
  uid: string,
  subject: string,
  date: number,
  place: MessageRow['place'] = 'inbox',
) {
  const made = makeRow({ number, uid, size: 100 }, { from: undefined, subject, date }, false, false);
  return { ...made, place };
}

function source(id: string, rows: MessageRow[], search: SearchState = idleSearch): InboxSource {
  return { id, colour: '#000', label: id, state: { rows, search } };
}

const hits = (text: string, scored: Array<[string, number]>): SearchState => ({
  ...idleSearch,
  text,
  query: parseQuery(text),
  phase: 'done',
  hits: scored.map(([uid, score]) => ({
    uid,
    score,
    terms: [],
    headersOnly: false,
    hasAttachment: false,
    snippet: '',
  })),
});

const order = { filter: '', sort: 'date', descending: true } as const;
const view = (merged: ReturnType<typeof mergeInboxes>) =>
  merged.map(({ source, row }) => `${source.id}:${row.uid}`);

describe('All inboxes', () => {
  const a = [
    row(1, 'a1', 'Alpha one', 100),
    row(2, 'a2', 'Alpha two', 300),
    row(3, 'a3', 'Archived', 500, 'archive'),
  ];
  const b = [
    row(1, 'b1', 'Beta one', 200),
    row(2, 'b2', 'Beta two', 400),
    row(3, 'b3', 'Trashed', 600, 'trash'),
  ];

  it('merges the Inbox rows of every account, sorted together, other folders left out', () => {
    expect(view(mergeInboxes([source('A', a), source('B', b)], order))).toEqual([
      'B:b2',
      'A:a2',
      'B:b1',
      'A:a1',
    ]);
    expect(view(mergeInboxes([source('A', a), source('B', b)], { ...order, descending: false }))).toEqual([
      'A:a1',
      'B:b1',
      'A:a2',
      'B:b2',
    ]);
  });

  it('filters every account with the same text', () => {
    expect(view(mergeInboxes([source('A', a), source('B', b)], { ...order, filter: 'two' }))).toEqual([
      'B:b2',
      'A:a2',
    ]);
  });

  it('while searching, ranks the hits of all accounts by score; an account without an index is filtered', () => {
    const searchedA = source(
      'A',
      a,
      hits('one', [
        ['a1', 2],
        ['a3', 9],
      ]),
    );
    const searchedB = source('B', b, hits('one', [['b1', 5]]));
    expect(view(mergeInboxes([searchedA, searchedB], { ...order, filter: 'one' }))).toEqual(['B:b1', 'A:a1']);
    // No search service there (shared computer): its query is set but nothing answers.
    const unindexed = source('B', b, { ...hits('one', []), phase: 'idle' });
    expect(view(mergeInboxes([searchedA, unindexed], { ...order, filter: 'one' }))).toEqual(['A:a1', 'B:b1']);
  });
});
