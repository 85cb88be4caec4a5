import { describe, expect, it } from 'vitest';
import { serverRemovals, type StoredMessage } from '../src/mailstore/index.js';

const DAY = 86_400_000;

function record(uid: string, change: Partial<StoredMessage> = {}): StoredMessage {
  return {
    account: 'a',
    uid,
    headers: undefined,
    size: 100,
    read: false,
    starred: false,
    place: 'inbox',
    firstSeen: 0,
    downloadedAt: 5,
    storedBytes: 100,
    onServer: true,
    imported: false,
    ...change,
  };
}

const listed = new Map([
  ['saved', { number: 1, size: 100 }],
  ['headers', { number: 2, size: 100 }],
  ['changed', { number: 3, size: 120 }],
  ['erased', { number: 4, size: 100 }],
]);
const records = [
  record('saved'),
  record('headers', { downloadedAt: undefined, storedBytes: 0 }),
  // The server lists a different size now than the copy here: not the same message, never removed.
  record('changed'),
  record('erased', { place: 'erased', downloadedAt: undefined, storedBytes: 0 }),
  record('gone'),
];
const numbers = (decision: ReturnType<typeof serverRemovals>) => decision.remove.map((entry) => entry.number);

describe('serverRemovals', () => {
  it('keeps everything under "Keep on the server"', () => {
    const decision = serverRemovals({
      policy: { kind: 'keep' },
      records,
      listed,
      durableEnough: true,
      now: 0,
    });
    expect(decision).toEqual({ remove: [], heldForPersistence: 0 });
  });

  it('"once saved here" removes only proven copies, and none while storage may be evicted', () => {
    const input = { policy: { kind: 'onceSaved' }, records, listed, now: 0 } as const;
    expect(numbers(serverRemovals({ ...input, durableEnough: true }))).toEqual([1]);
    expect(serverRemovals({ ...input, durableEnough: false })).toEqual({ remove: [], heldForPersistence: 1 });
  });

  it('"after N days" counts from first seen', () => {
    const input = { policy: { kind: 'afterDays', days: 3 }, records, listed, durableEnough: true } as const;
    expect(numbers(serverRemovals({ ...input, now: 3 * DAY - 1 }))).toEqual([]);
    expect(numbers(serverRemovals({ ...input, now: 3 * DAY }))).toEqual([1]);
  });

  it('"when I delete it here" removes what was emptied from Trash, whatever is stored', () => {
    const decision = serverRemovals({
      policy: { kind: 'whenDeletedHere' },
      records,
      listed,
      durableEnough: false,
      now: 0,
    });
    expect(numbers(decision)).toEqual([4]);
  });
});

describe('serverRemovals of messages deleted here (in Trash)', () => {
  const trash = [
    record('saved', { place: 'trash' }),
    record('headers', { place: 'trash', downloadedAt: undefined, storedBytes: 0 }),
    record('changed', { place: 'trash' }),
  ];

  it('"when I delete it here" removes a trashed message with a proven copy at once, the others when emptied', () => {
    const input = { policy: { kind: 'whenDeletedHere' }, records: trash, listed, now: 0 } as const;
    expect(numbers(serverRemovals({ ...input, durableEnough: true }))).toEqual([1]);
    expect(serverRemovals({ ...input, durableEnough: false })).toEqual({ remove: [], heldForPersistence: 1 });
  });

  it('"Keep on the server" keeps a trashed message; "after N days" still counts from first seen', () => {
    expect(
      serverRemovals({ policy: { kind: 'keep' }, records: trash, listed, durableEnough: true, now: 9 * DAY }),
    ).toEqual({ remove: [], heldForPersistence: 0 });
    const afterDays = {
      policy: { kind: 'afterDays', days: 3 },
      records: trash,
      listed,
      durableEnough: true,
    } as const;
    expect(numbers(serverRemovals({ ...afterDays, now: DAY }))).toEqual([]);
    expect(numbers(serverRemovals({ ...afterDays, now: 3 * DAY }))).toEqual([1]);
  });
});
