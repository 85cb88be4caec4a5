import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
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

  it('in memory', async () => {
    await exercise(memoryCache());
  });
});
