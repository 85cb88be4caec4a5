import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Postings, type QueryTerm } from '../src/search/postings.js';

const FIELDS = 2;
const everywhere = [0, 1];
const word = (term: string, prefix = true, fields: readonly number[] = everywhere): QueryTerm => ({
  term,
  fields,
  prefix,
});
const found = (index: Postings<string>, words: QueryTerm[]): string[] =>
  index
    .search(words, () => true)
    .map((hit) => index.payload(hit.slot)!)
    .sort();

function small(): Postings<string> {
  const index = new Postings<string>(FIELDS, [3, 1]);
  index.add(
    [
      ['zeppelin', 'tickets'],
      ['two', 'seats'],
    ],
    'subject',
  );
  index.add([['lunch'], ['the', 'zeppelin', 'leaves', 'at', 'noon']], 'body');
  index.add([['notes'], ['zebra', 'zeppelins']], 'prefix');
  return index;
}

describe('search postings', () => {
  it('matches every word, in the fields asked, itself or as a prefix', () => {
    const index = small();
    expect(found(index, [word('zeppelin', false)])).toEqual(['body', 'subject']);
    expect(found(index, [word('zeppelin')])).toEqual(['body', 'prefix', 'subject']);
    expect(found(index, [word('zep'), word('noon')])).toEqual(['body']);
    expect(found(index, [word('zeppelin', false, [0])])).toEqual(['subject']);
    expect(found(index, [word('nothing')])).toEqual([]);
  });

  it('ranks a boosted field above the body, and the word above a longer term it starts', () => {
    const index = small();
    const ranked = index
      .search([word('zeppelin')], () => true)
      .sort((a, b) => b.score - a.score)
      .map((hit) => index.payload(hit.slot));
    expect(ranked).toEqual(['subject', 'body', 'prefix']);
  });

  it('forgets removed documents, before and after compaction, and keeps adding after it', () => {
    const index = small();
    const slot = index.search([word('lunch')], () => true)[0]!.slot;
    index.remove(slot);
    expect(found(index, [word('zeppelin')])).toEqual(['prefix', 'subject']);
    expect(index.compact()).toBe(true);
    expect(index.compact()).toBe(false);
    expect(index.size).toBe(2);
    expect(found(index, [word('zeppelin')])).toEqual(['prefix', 'subject']);
    expect(found(index, [word('noon')])).toEqual([]);
    index.add([['zeppelin'], []], 'later');
    expect(found(index, [word('zeppelin', false)])).toEqual(['later', 'subject']);
  });

  it('answers the same after save and load, and appends to loaded postings without touching others', () => {
    const index = small();
    const loaded = Postings.load(structuredClone(index.save()), [3, 1]);
    expect(found(loaded, [word('zep')])).toEqual(['body', 'prefix', 'subject']);
    // Loaded postings are views into one array: the next document must not write into a neighbour's.
    loaded.add([['tickets'], ['zebra', 'aardvark']], 'new');
    expect(found(loaded, [word('tickets')])).toEqual(['new', 'subject']);
    expect(found(loaded, [word('zebra')])).toEqual(['new', 'prefix']);
    expect(found(loaded, [word('two')])).toEqual(['subject']);
    expect(found(loaded, [word('aard')])).toEqual(['new']);
  });

  it('refuses to save removed documents (the caller compacts and finds its slots again)', () => {
    const index = small();
    index.remove(0);
    expect(() => index.save()).toThrow(/compact/);
  });

  it('finds exactly the documents a brute-force scan finds, through adds, removes, compactions and reloads', () => {
    const term = fc.constantFrom('a', 'ab', 'abc', 'b', 'ba', 'bad', 'c', 'cab', 'zz');
    const document = fc.tuple(fc.array(term, { maxLength: 4 }), fc.array(term, { maxLength: 6 }));
    const step = fc.oneof(
      document.map((fields) => ({ kind: 'add' as const, fields })),
      fc.nat(40).map((at) => ({ kind: 'remove' as const, at })),
      fc.constant({ kind: 'compact' as const }),
      fc.constant({ kind: 'reload' as const }),
    );
    const query = fc.array(
      fc.record({ term, prefix: fc.boolean(), fields: fc.constantFrom([0], [1], [0, 1]) }),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), query, (steps, words) => {
        let index = new Postings<string>(FIELDS, [3, 1]);
        const kept = new Map<string, readonly (readonly string[])[]>();
        let next = 0;
        for (const change of steps) {
          if (change.kind === 'add') {
            const name = `d${next++}`;
            index.add(change.fields, name);
            kept.set(name, change.fields);
          } else if (change.kind === 'remove') {
            const live = [...index.entries()];
            const chosen = live[change.at % Math.max(1, live.length)];
            if (chosen) {
              index.remove(chosen[0]);
              kept.delete(chosen[1]);
            }
          } else if (change.kind === 'compact') index.compact();
          else {
            index.compact();
            index = Postings.load(structuredClone(index.save()), [3, 1]);
          }
        }
        const expected = [...kept]
          .filter(([, fields]) =>
            words.every((w) =>
              w.fields.some((f) => fields[f]!.some((t) => (w.prefix ? t.startsWith(w.term) : t === w.term))),
            ),
          )
          .map(([name]) => name)
          .sort();
        expect(found(index, words)).toEqual(expected);
        expect(index.size).toBe(kept.size);
        // The best two are the first two of the whole ranking.
        const ranked = index.search(words, () => true).map((hit) => hit.score);
        expect(index.search(words, () => true, 2).map((hit) => hit.score)).toEqual(ranked.slice(0, 2));
        expect([...ranked].sort((a, b) => b - a)).toEqual(ranked);
      }),
      { numRuns: 300 },
    );
  });
});
