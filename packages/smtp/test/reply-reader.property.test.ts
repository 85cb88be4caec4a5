// Property-based tests of the reply reader: any sequence of replies, written as a server must and cut
// anywhere, reads back as itself; any byte stream either parses or fails with an SmtpProtocolError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '@webpop/testkit';
import { SmtpProtocolError } from '../src/errors.js';
import { ReplyReader } from '../src/protocol/reply-reader.js';
import { cutAt } from './support/cut-at.js';

/** The oracle, written apart from the reader: a reply as wire text. */
function wire(code: number, lines: readonly string[]): string {
  return lines.map((line, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${line}\r\n`).join('');
}

const text = fc
  .string({ unit: fc.constantFrom(...'abcXYZ 0123-_.<>@:;=/\u00e9\u4e2d'.split('')), maxLength: 40 })
  // A text that starts like an enhanced status code would be split off; keep the oracle simple.
  .filter((line) => !/^[245]\.\d/.test(line));
const reply = fc.record({
  code: fc.integer({ min: 200, max: 559 }).filter((code) => code % 100 < 60),
  lines: fc.array(text, { minLength: 1, maxLength: 5 }),
});

describe('ReplyReader (property)', () => {
  it('reads any replies back, however they are cut', () => {
    fc.assert(
      fc.property(
        fc.array(reply, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (replies, cuts) => {
          const all = new TextEncoder().encode(replies.map((r) => wire(r.code, r.lines)).join(''));
          const read: Array<{ code: number; lines: string[] }> = [];
          const reader = new ReplyReader({
            expectingReply: () => read.length < replies.length,
            reply: (r) => read.push({ code: r.code, lines: [...r.lines] }),
          });
          for (const piece of cutAt(all, cuts)) reader.feed(piece);
          expect(read).toEqual(replies);
        },
      ),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('either parses any bytes or fails with an SmtpProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (noise) => {
        const reader = new ReplyReader({ expectingReply: () => true, reply: () => undefined });
        try {
          reader.feed(noise);
        } catch (error) {
          expect(error).toBeInstanceOf(SmtpProtocolError);
        }
      }),
      { numRuns: fuzzRuns(1000) },
    );
  });
});
