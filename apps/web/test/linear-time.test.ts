// Linear time, proved by ratio: each adversarial shape of 1 MB must take about as long as 1 MB of
// ordinary text (a quadratic pattern takes minutes on it: the old linkifier 17 s on 117 KiB). Times are
// the best of a few runs, compared with each other, never with a fixed number of milliseconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repeatTo, timeRatio } from '@webpop/testkit';
import { linkify, type TextSegment } from '../src/mime/linkify.js';
import { oldLinkify } from './support/old-linkify.js';

const MB = 1024 * 1024;
/** How much slower than ordinary text an adversarial megabyte may be (measured: at most about 4). */
const MAX_RATIO = 15;

const ordinary = repeatTo(
  'Dear team, the minutes are at https://intranet.example.org/minutes (see item 4). ' +
    'Questions to alice.smith@example.org or www.example.com/faq, thanks!\n',
);

function expectLinear(name: string, run: (text: string) => unknown, shapes: Record<string, string>) {
  describe(name, () => {
    for (const [shape, text] of Object.entries(shapes)) {
      it(`${shape}: within ${MAX_RATIO}x of ordinary text`, () => {
        expect(timeRatio(run, text, ordinary)).toBeLessThan(MAX_RATIO);
      });
    }
  });
}

expectLinear('linkify (no link cap, so all of each text is scanned)', (text) => linkify(text, Infinity), {
  'a.a.a…': repeatTo('a.'),
  'a@a@a…': repeatTo('a@'),
  'a.a@a.a@…': repeatTo('a.a@'),
  'a@a.a. …': repeatTo('a@a.a. '),
  'aaaa…@': `${repeatTo('a', MB - 1)}@`,
  'http://a))))…': `http://a${repeatTo(')', MB - 8)}`,
  'http://a.,.,…': `http://a${repeatTo('.,', MB - 8)}`,
  'www.www.…': repeatTo('www.'),
  'a-a-a-…@b': `${repeatTo('a-', MB - 3)}@b.`,
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
