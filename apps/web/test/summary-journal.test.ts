import { describe, expect, it } from 'vitest';
import { SummaryJournal } from '../src/search/summary-journal.js';

describe('summary journal', () => {
  it('gives what changed after a version, oldest first, a slice at a time', () => {
    const journal = new SummaryJournal();
    expect(journal.since(0, 10)).toEqual({ uids: [], version: 0, more: false });
    for (const uid of ['a', 'b', 'c', 'd']) journal.touch(uid);
    expect(journal.version).toBe(4);
    expect(journal.since(0, 3)).toEqual({ uids: ['a', 'b', 'c'], version: 3, more: true });
    expect(journal.since(3, 3)).toEqual({ uids: ['d'], version: 4, more: false });
    expect(journal.since(4, 3)).toEqual({ uids: [], version: 4, more: false });
    // Exactly a slice's worth left: no empty answer after it.
    expect(journal.since(1, 3)).toEqual({ uids: ['b', 'c', 'd'], version: 4, more: false });
  });

  it('lists a message changed twice once, at its latest change', () => {
    const journal = new SummaryJournal();
    for (const uid of ['a', 'b', 'c']) journal.touch(uid);
    journal.touch('a');
    expect(journal.since(0, 10)).toEqual({ uids: ['b', 'c', 'a'], version: 4, more: false });
    // Whoever had seen up to 'b' sees 'c' and 'a' again; whoever had seen everything, only 'a'.
    expect(journal.since(2, 10).uids).toEqual(['c', 'a']);
    expect(journal.since(3, 10).uids).toEqual(['a']);
  });

  it('agrees with a replay of every change (fuzzed)', () => {
    let seed = 16;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const journal = new SummaryJournal();
      const log: string[] = [];
      for (let step = 0, steps = random(40); step < steps; step++) {
        const uid = `m${random(8)}`;
        journal.touch(uid);
        log.push(uid);
      }
      const since = random(log.length + 1);
      const limit = 1 + random(5);
      // Everything changed after `since`, at its latest change, read by repeated asking.
      const expected = [...new Map(log.map((uid, at) => [uid, at + 1]))]
        .filter(([, at]) => at > since)
        .sort((a, b) => a[1] - b[1])
        .map(([uid]) => uid);
      const read: string[] = [];
      for (let version = since, more = true; more;) {
        const answer = journal.since(version, limit);
        expect(answer.uids.length).toBeLessThanOrEqual(limit);
        read.push(...answer.uids);
        ({ version, more } = answer);
      }
      expect(read).toEqual(expected);
    }
  });
});
