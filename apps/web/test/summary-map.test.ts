import { describe, expect, it } from 'vitest';
import { SummaryMap } from '../src/search/summary-map.js';

const line = (snippet: string, hasAttachment = false) => ({ snippet, hasAttachment });

/** A map of `count` lines, uid-0 … uid-(count-1). */
function filled(count: number): SummaryMap {
  const draft = SummaryMap.empty.edit();
  for (let at = 0; at < count; at++) draft.set(`uid-${at}`, line(`line ${at}`));
  return draft.done();
}

describe('summary map', () => {
  it('holds what was set, and counts it', () => {
    const map = filled(1_000);
    expect(map.size).toBe(1_000);
    expect(map.get('uid-7')).toEqual(line('line 7'));
    expect(map.has('uid-999')).toBe(true);
    expect(map.has('uid-1000')).toBe(false);
    expect([...map.keys()].sort()).toEqual(Array.from({ length: 1_000 }, (_, at) => `uid-${at}`).sort());
    expect(new Map(map.entries()).get('uid-3')).toBe(map.get('uid-3'));
  });

  it('makes a new map for a changed line, with a new object for it and the same objects for the rest', () => {
    const before = filled(1_000);
    const draft = before.edit();
    draft.set('uid-5', line('line 5, edited'));
    const after = draft.done();
    expect(after).not.toBe(before);
    expect(after.get('uid-5')).toEqual(line('line 5, edited'));
    expect(before.get('uid-5')).toEqual(line('line 5'));
    for (let at = 0; at < 1_000; at++)
      if (at !== 5) expect(after.get(`uid-${at}`)).toBe(before.get(`uid-${at}`));
    expect(after.size).toBe(1_000);

    // The attachment mark alone is a change too.
    const marked = after.edit();
    marked.set('uid-6', line('line 6', true));
    expect(marked.done().get('uid-6')).toEqual(line('line 6', true));
  });

  it('keeps the same map and objects when every line set equals the one there', () => {
    const before = filled(100);
    const draft = before.edit();
    for (let at = 0; at < 100; at++) draft.set(`uid-${at}`, line(`line ${at}`));
    draft.delete('uid-absent');
    expect(draft.done()).toBe(before);
  });

  it('removes a line, and a draft leaves the map it started from as it was', () => {
    const before = filled(100);
    const draft = before.edit();
    draft.delete('uid-1');
    draft.set('uid-new', line('new'));
    draft.set('uid-new', line('newer'));
    draft.delete('uid-2');
    const after = draft.done();
    expect(after.has('uid-1')).toBe(false);
    expect(after.has('uid-2')).toBe(false);
    expect(after.get('uid-new')).toEqual(line('newer'));
    expect(after.size).toBe(99);
    expect(before.size).toBe(100);
    expect(before.has('uid-1')).toBe(true);
    expect(before.has('uid-new')).toBe(false);
    expect(SummaryMap.empty.size).toBe(0);
  });
});
