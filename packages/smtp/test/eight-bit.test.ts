// The 8-bit scan that decides BODY=8BITMIME: one high byte anywhere — at every position, at every
// alignment of the view (its head, its blocks of eight words, the words after them, its tail), at
// lengths that are and are not multiples of 4 and 32 — is found; ASCII (and nothing) never is.
import fc from 'fast-check';
import { fuzzRuns } from '@webpop/testkit';
import { describe, expect, it } from 'vitest';
import { hasEightBitBytes } from '../src/protocol/eight-bit.js';

describe('hasEightBitBytes', () => {
  it('finds a single high byte at every position and every alignment of the view', () => {
    const buffer = new ArrayBuffer(112);
    for (let offset = 0; offset < 4; offset++) {
      for (let length = 0; length <= 104; length++) {
        const view = new Uint8Array(buffer, offset, length).fill(0x41);
        expect(hasEightBitBytes(view), `${offset}/${length}`).toBe(false);
        for (let at = 0; at < length; at++) {
          view[at] = 0x80 + (at % 0x80);
          expect(hasEightBitBytes(view), `${offset}/${length}/${at}`).toBe(true);
          view[at] = 0x7f;
        }
      }
    }
  });

  it('finds each high byte value (0x80 to 0xff), and never 0x00 to 0x7f, in a long message', () => {
    const long = new Uint8Array(1 << 16);
    for (let byte = 0; byte < 256; byte++) {
      const at = (byte * 251) % long.length;
      long[at] = byte;
      expect(hasEightBitBytes(long), `0x${byte.toString(16)} at ${at}`).toBe(byte > 0x7f);
      long[at] = 0;
    }
  });

  it('an empty message is 7-bit', () => {
    expect(hasEightBitBytes(new Uint8Array(0))).toBe(false);
    expect(hasEightBitBytes(new Uint8Array(new ArrayBuffer(8), 3, 0))).toBe(false);
  });

  it('never looks outside its view (high bytes around it are not its own)', () => {
    const around = new Uint8Array(32).fill(0xff);
    around.fill(0x20, 5, 27);
    expect(hasEightBitBytes(around.subarray(5, 27))).toBe(false);
    expect(hasEightBitBytes(around.subarray(4, 27))).toBe(true);
    expect(hasEightBitBytes(around.subarray(5, 28))).toBe(true);
  });

  it('agrees with a byte-by-byte look, fuzzed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (bytes, cut) => {
        const view = bytes.subarray(Math.min(cut, bytes.length));
        expect(hasEightBitBytes(view)).toBe(view.some((byte) => byte > 0x7f));
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});
