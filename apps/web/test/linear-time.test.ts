// Linear time, proved by growth: 1 MB of each adversarial shape must take about 8 times as long as
// 128 KB of it (a quadratic pattern takes 64 times as long, and minutes: the old linkifier 17 s on
// 117 KiB). Times are the best of a few runs, compared with each other, never with milliseconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LINEAR_BOUND, LINEAR_TIME_TEST_TIMEOUT_MS, repeatTo, superlinearity } from '@webpop/testkit';
import { linkify, type TextSegment } from '../src/mime/linkify.js';
import { oldLinkify } from './support/old-linkify.js';

const MB = 1024 * 1024;
/** A linear scan reads about 1, a quadratic one about 8 (see superlinearity). */
const MAX_SUPERLINEARITY = LINEAR_BOUND;

function expectLinear(
  name: string,
  run: (text: string) => unknown,
  shapes: Record<string, (size: number) => string>,
) {
  describe(name, { timeout: LINEAR_TIME_TEST_TIMEOUT_MS }, () => {
    for (const [shape, make] of Object.entries(shapes)) {
      it(`${shape}: grows linearly (superlinearity under ${MAX_SUPERLINEARITY})`, () => {
        expect(superlinearity(run, make, MB)).toBeLessThan(MAX_SUPERLINEARITY);
      });
    }
  });
}

expectLinear('linkify (no link cap, so all of each text is scanned)', (text) => linkify(text, Infinity), {
  'a.a.a…': (n) => repeatTo('a.', n),
  'a@a@a…': (n) => repeatTo('a@', n),
  'a.a@a.a@…': (n) => repeatTo('a.a@', n),
  'a@a.a. …': (n) => repeatTo('a@a.a. ', n),
  'aaaa…@': (n) => `${repeatTo('a', n - 1)}@`,
  'http://a))))…': (n) => `http://a${repeatTo(')', n - 8)}`,
  'http://a.,.,…': (n) => `http://a${repeatTo('.,', n - 8)}`,
  'www.www.…': (n) => repeatTo('www.', n),
  'a-a-a-…@b': (n) => `${repeatTo('a-', n - 3)}@b.`,
});

describe('linkify finds what the former pattern found', () => {
  const text = fc.stringMatching(/^[a-z@.+\-:/ ()w,]{0,60}$/);
  const plain = (segments: TextSegment[]) =>
    segments.map((s) => (s.kind === 'link' ? [s.text, s.href] : s.text));
  it('on any short text of the characters that matter', () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(plain(linkify(input))).toEqual(plain(oldLinkify(input)));
      }),
      { numRuns: 3000 },
    );
  });

  it('stops making links at the cap; the rest stays text', () => {
    const segments = linkify(repeatTo('a@b.cd ', 7 * 5000));
    expect(segments.filter((s) => s.kind === 'link')).toHaveLength(2000);
    expect(segments.map((s) => s.text).join('')).toBe(repeatTo('a@b.cd ', 7 * 5000));
  });
});
