import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogBuffer, type LogLines } from '../src/store/log-slice.js';
import { LogRing, MAX_LOG_LINES, type LogLine } from '../src/store/log-lines.js';

const line = (id: number): LogLine => ({ id, direction: 'client', text: `NOOP ${id}` });
const ids = (lines: LogLines) => [...lines].map((entry) => entry.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('LogRing', () => {
  it('keeps the last `limit` lines across chunks and counts what it drops', () => {
    const ring = new LogRing(300);
    for (let id = 1; id <= 1000; id++) ring.push(line(id));
    const view = ring.view();
    expect(view.length).toBe(300);
    expect(view.dropped).toBe(700);
    expect(ring.dropped).toBe(700);
    expect(ids(view)).toEqual(range(701, 1000));
    expect(view.at(0)?.id).toBe(701);
    expect(view.at(-1)?.id).toBe(1000);
    expect(view.at(300)).toBeUndefined();
    expect(view.at(-301)).toBeUndefined();
    expect(view.at(1.5)).toBeUndefined();
  });

  it('keeps MAX_LOG_LINES by default', () => {
    const ring = new LogRing();
    for (let id = 1; id <= MAX_LOG_LINES + 10; id++) ring.push(line(id));
    expect(ring.length).toBe(MAX_LOG_LINES);
    expect(ring.view().at(0)?.id).toBe(11);
    expect(ring.dropped).toBe(10);
  });

  it('leaves a view as it was: pushes, drops and a clear after it change only later views', () => {
    const ring = new LogRing(300);
    for (let id = 1; id <= 260; id++) ring.push(line(id));
    const early = ring.view();
    expect(ring.view()).toBe(early);
    for (let id = 261; id <= 900; id++) ring.push(line(id));
    const later = ring.view();
    ring.clear();
    expect(ids(early)).toEqual(range(1, 260));
    expect(early.dropped).toBe(0);
    expect(ids(later)).toEqual(range(601, 900));
    expect(ring.view().length).toBe(0);
    expect(ring.view().dropped).toBe(0);
    ring.push(line(901));
    expect(ids(ring.view())).toEqual([901]);
    expect(later.toArray().map((entry) => entry.id)).toEqual(range(601, 900));
  });

  it('refuses a limit that keeps nothing', () => {
    expect(() => new LogRing(0)).toThrow(RangeError);
  });
});

describe('LogBuffer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function buffer() {
    const published: LogLines[] = [];
    const log = new LogBuffer(60, (lines) => published.push(lines));
    const push = (text: string) => log.push({ direction: 'server', text });
    return { log, published, push };
  }

  it('while nobody watches: no publish and no timer, the lines kept for the opening', () => {
    const { log, published, push } = buffer();
    push('+OK one');
    push('+OK two');
    expect(vi.getTimerCount()).toBe(0);
    log.flush();
    vi.advanceTimersByTime(1000);
    expect(published).toHaveLength(0);
    const lines = log.lines();
    expect([...lines].map((entry) => [entry.id, entry.text])).toEqual([
      [1, '+OK one'],
      [2, '+OK two'],
    ]);
  });

  it('while watched: one publish per flushMs with every line that arrived', () => {
    const { log, published, push } = buffer();
    log.watch(true);
    push('+OK one');
    push('+OK two');
    vi.advanceTimersByTime(59);
    expect(published).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(published).toHaveLength(1);
    expect(ids(published[0]!)).toEqual([1, 2]);
    push('+OK three');
    log.flush();
    expect(ids(published[1]!)).toEqual([1, 2, 3]);
    log.flush(); // nothing new: nothing published
    vi.advanceTimersByTime(1000);
    expect(published).toHaveLength(2);
    log.watch(false);
    push('+OK four');
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(published).toHaveLength(2);
    expect(ids(log.lines())).toEqual([1, 2, 3, 4]);
  });

  it('a closing stops the waiting flush; `lines()` takes what was waiting', () => {
    const { log, published, push } = buffer();
    log.watch(true);
    push('+OK one');
    expect(ids(log.lines())).toEqual([1]);
    vi.advanceTimersByTime(1000);
    expect(published).toHaveLength(0); // taken by lines(): nothing left to publish
    push('+OK two');
    log.watch(false);
    vi.advanceTimersByTime(1000);
    expect(published).toHaveLength(0);
  });

  it('clear empties the log and its drops; ids go on', () => {
    const { log, push } = buffer();
    for (let i = 0; i < MAX_LOG_LINES + 5; i++) push(`+OK ${i}`);
    expect(log.lines().dropped).toBe(5);
    log.clear();
    expect(log.lines().length).toBe(0);
    expect(log.lines().dropped).toBe(0);
    push('+OK after');
    expect(ids(log.lines())).toEqual([MAX_LOG_LINES + 6]);
  });
});
