// The header cache's writer (store/header-cache.ts): what a listing collected is written after the
// current task, in slices of the mail store's listing write limit, each slice in a task of its own.
import { describe, expect, it } from 'vitest';
import { listingWriteLimits, type HeaderSummary } from '../src/mailstore/index.js';
import { memoryCache, type MailCache } from '../src/mailstore/mail-cache.js';
import { HeaderCacheWriter } from '../src/store/header-cache.js';

const summary = (index: number): HeaderSummary => ({
  from: { name: `Sender ${index}`, address: `s${index}@example.test` },
  subject: `Message ${index}`,
  date: Date.UTC(2026, 0, 1) + index,
});

/** The memory cache, with each putHeaders' size and the task (a setTimeout tick) it ran in. */
function recordingCache(): { cache: MailCache; slices: Array<{ size: number; task: number }>; tick(): void } {
  const inner = memoryCache();
  const slices: Array<{ size: number; task: number }> = [];
  let task = 0;
  return {
    cache: {
      ...inner,
      putHeaders: (account, entries) => {
        slices.push({ size: entries.length, task });
        return inner.putHeaders(account, entries);
      },
    },
    slices,
    tick: () => task++,
  };
}

describe('HeaderCacheWriter', () => {
  it('writes after the current task, in slices of listingWriteLimits.headers, one task each', async () => {
    const { cache, slices, tick } = recordingCache();
    const writer = new HeaderCacheWriter(cache);
    const count = listingWriteLimits.headers * 2 + 37;
    const entries = Array.from({ length: count }, (_, i) => [`uid-${i}`, summary(i)] as const);
    writer.collect('account', entries);
    // A timer counts tasks: each of its callbacks is a task after the ones queued before it.
    const ticking = setInterval(tick, 0);
    writer.flush('account');
    expect(slices).toEqual([]); // nothing in the flushing task itself
    const [headers] = await writer.read('account');
    clearInterval(ticking);
    expect(slices.map((slice) => slice.size)).toEqual([
      listingWriteLimits.headers,
      listingWriteLimits.headers,
      37,
    ]);
    expect(new Set(slices.map((slice) => slice.task)).size).toBe(slices.length);
    expect(headers.size).toBe(count);
    expect(headers.get('uid-7')?.subject).toBe('Message 7');
  });
});
