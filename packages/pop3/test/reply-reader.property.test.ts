// Property-based tests of the reply reader: any body, stuffed as a server must, and cut anywhere,
// reads back byte for byte; any byte stream either parses or fails with a Pop3ProtocolError.
// Runs: fuzzRuns() (fixed in CI; `pnpm fuzz` for long runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '@webpop/testkit';
import { concatBytes } from '../src/bytes.js';
import { Pop3ProtocolError } from '../src/errors.js';
import { ReplyReader, type ReplyKind } from '../src/protocol/reply-reader.js';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/** What a server sends for a message: the body ending in CRLF, dot-stuffed, then the terminator. */
function wire(body: Uint8Array): Uint8Array {
  const out: number[] = [...'+OK\r\n'].map((c) => c.charCodeAt(0));
  let lineStart = true;
  for (const byte of body) {
    if (lineStart && byte === DOT) out.push(DOT);
    out.push(byte);
    lineStart = byte === LF;
  }
  out.push(DOT, CR, LF);
  return Uint8Array.from(out);
}

function readBody(pieces: Uint8Array[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let ended = false;
  const reader = new ReplyReader({
    nextReplyKind: () => (ended ? undefined : 'multi'),
    status: () => {},
    body: (chunk) => chunks.push(chunk.slice()),
    end: () => (ended = true),
  });
  for (const piece of pieces) reader.feed(piece);
  expect(ended).toBe(true);
  return concatBytes(chunks);
}

function cut(bytes: Uint8Array, positions: number[]): Uint8Array[] {
  const cuts = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const at of cuts) {
    pieces.push(bytes.subarray(start, at));
    start = at;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

/** Bodies rich in what matters: dots, CR, LF at every position. */
const interestingByte = fc.oneof(
  fc.constantFrom(DOT, CR, LF, DOT, 0x20, 0x41),
  fc.integer({ min: 0, max: 255 }),
);
const body = fc
  .array(interestingByte, { maxLength: 400 })
  .map((bytes) => Uint8Array.from([...bytes, CR, LF]));

describe('ReplyReader properties', () => {
  it('reads back any stuffed body exactly, however the stream is cut', () => {
    fc.assert(
      fc.property(body, fc.array(fc.nat(), { maxLength: 12 }), (message, positions) => {
        const read = readBody(cut(wire(message), positions));
        expect(Buffer.from(read).equals(Buffer.from(message))).toBe(true);
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('parses or refuses any byte stream, never failing another way', () => {
    const kinds: ReplyKind[] = ['single', 'multi', 'sasl'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 5 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (expected, stream, positions) => {
          const queue = [...expected];
          const reader = new ReplyReader({
            nextReplyKind: () => queue[0],
            status: (status) => {
              const kind = queue[0];
              if (kind !== 'multi' || status.indicator !== '+OK') queue.shift();
            },
            body: () => {},
            end: () => queue.shift(),
          });
          try {
            for (const piece of cut(stream, positions)) reader.feed(piece);
          } catch (error) {
            expect(error).toBeInstanceOf(Pop3ProtocolError);
          }
        },
      ),
      { numRuns: fuzzRuns(1000) },
    );
  });
});
