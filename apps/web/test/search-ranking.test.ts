import { describe, expect, it } from 'vitest';
import type { IndexEngine } from '../src/search/account-index.js';
import { flexEngine } from './support/flex-index.js';
import { parseQuery } from '../src/search/query.js';
import { postingsEngine } from '../src/search/search-index.js';
import { rankingCases, rankingMailbox, ranksAsExpected } from './support/ranking-cases.js';

/**
 * How each engine ranks, written down (BENCHMARKS.md, Search): the cases it ranks as a mail user
 * expects. postings.ts is BM25 (term frequency, inverse document frequency, field length) with field
 * boosts and prefix weighting, and does not weigh where a word stands; FlexSearch scores only by
 * where a term first stands in a field (and a prefix the same as the word).
 */
const expected: Array<{ readonly engine: IndexEngine; readonly passing: readonly string[] }> = [
  {
    engine: postingsEngine,
    passing: ['zeppelin', 'martin', 'report', 'budget', 'invoice pterodactyl', 'отчет'],
  },
  { engine: flexEngine, passing: ['zeppelin', 'martin', 'deadline', 'отчет'] },
];

describe.each(expected)('search ranking: $engine.name', ({ engine, passing }) => {
  const index = engine.create();
  for (const document of rankingMailbox) index.put(document, 'v1');

  it('ranks as written down', () => {
    const outcomes = rankingCases.map((rankingCase) => {
      const hits = index.search(parseQuery(rankingCase.query));
      expect(hits.map((hit) => hit.uid)).toEqual(
        expect.arrayContaining([rankingCase.top, rankingCase.above]),
      );
      return [rankingCase.query, ranksAsExpected(hits, rankingCase)] as const;
    });
    expect(outcomes.filter(([, ok]) => ok).map(([query]) => query)).toEqual(passing);
  });
});
