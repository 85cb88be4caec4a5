import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { storeReadLimits } from '../src/mailstore/index.js';
import { indexedDbCache, memoryCache, type MailCache } from '../src/mailstore/mail-cache.js';

const headers = (subject: string) => ({
  from: { name: 'A', address: 'a@example.org' },
  subject,
  date: 1_700_000_000_000,
});

async function exercise(cache: MailCache) {
  await cache.putHeaders('acct-1', [
    ['u1', headers('one')],
    ['u2', headers('two')],
  ]);
  await cache.putHeaders('acct-2', [['u1', headers('other account')]]);
  const first = await cache.headers('acct-1');
  expect([...first.keys()].sort()).toEqual(['u1', 'u2']);
  expect(first.get('u2')).toEqual(headers('two'));
  expect((await cache.headers('acct-2')).get('u1')?.subject).toBe('other account');

  await cache.setRead('acct-1', 'u1', true);
  await cache.setRead('acct-1', 'u2', true);
  await cache.setRead('acct-1', 'u2', false);
  expect(await cache.readMarks('acct-1')).toEqual(new Set(['u1']));
  expect(await cache.readMarks('acct-2')).toEqual(new Set());

  await cache.retain('acct-1', new Set(['u2']));
  expect([...(await cache.headers('acct-1')).keys()]).toEqual(['u2']);
  expect(await cache.readMarks('acct-1')).toEqual(new Set());
  expect((await cache.headers('acct-2')).size).toBe(1);
}

describe('header cache and read marks', () => {
  it('IndexedDB, keyed by account and UIDL', async () => {
    await exercise(indexedDbCache(new IDBFactory()));
  });

  it('survives a new page (a second cache on the same database)', async () => {
    const factory = new IDBFactory();
    await indexedDbCache(factory).putHeaders('acct', [['u', headers('kept')]]);
    expect((await indexedDbCache(factory).headers('acct')).get('u')?.subject).toBe('kept');
  });

  it('falls back to memory when IndexedDB cannot be opened', async () => {
    const broken = {
      open: () => {
        throw new Error('disabled');
      },
    } as unknown as IDBFactory;
    await exercise(indexedDbCache(broken));
  });

  it('reads a big account in pages, every record of it and none of another', async () => {
    const cache = indexedDbCache(new IDBFactory());
    const count = storeReadLimits.records + 1;
    const uids = Array.from({ length: count }, (_, index) => `u${String(index).padStart(5, '0')}`);
    await cache.putHeaders(
      'acct-1',
      uids.map((uid) => [uid, headers(uid)] as const),
    );
    await cache.putHeaders('acct-2', [['u00000', headers('other account')]]);
    for (const uid of [uids[0]!, uids[storeReadLimits.records]!, uids.at(-1)!])
      await cache.setRead('acct-1', uid, true);
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    try {
      const read = await cache.headers('acct-1');
      // One getAll was one task of seconds at 100,000 records: a page each, the last one short.
      expect(getAll.mock.calls.length).toBe(2);
      expect(read.size).toBe(count);
      expect(read.get(uids.at(-1)!)?.subject).toBe(uids.at(-1));
      expect(read.get('u00000')?.subject).toBe('u00000');
      expect(await cache.readMarks('acct-1')).toEqual(
        new Set([uids[0], uids[storeReadLimits.records], uids.at(-1)]),
      );
    } finally {
      getAll.mockRestore();
    }
  });

  it('in memory', async () => {
    await exercise(memoryCache());
  });
});
