// The list's decoding in one call per block (a CPU profile found one TextDecoder call a field or line
// most of 100 µs a header): the result must be what a decode of each field or line on its own gave.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../src/index.js';
import { headerEnd, headerFieldTexts } from '../src/message.js';
import { leadingLines } from '../src/protocol/leading-lines.js';

/** Bytes rich in what decoding turns on: line ends, folds, colons, BOMs, 8-bit and broken UTF-8. */
const trickyBytes = fc
  .array(
    fc.oneof(
      fc.constantFrom(0x0a, 0x0d, 0x20, 0x09, 0x3a, 0x41, 0x7a),
      fc.constantFrom(0xef, 0xbb, 0xbf, 0xe2, 0x82, 0xac, 0xc3, 0xa9, 0xe9, 0xff, 0x80),
      fc.integer({ min: 0, max: 255 }),
    ),
    { maxLength: 300 },
  )
  .map((values) => new Uint8Array(values));

/** The old leadingLines: one decoder, one decode a line. */
function leadingLinesOneByOne(body: Uint8Array, max: number): { lines: string[]; octets: number } {
  const decoder = new TextDecoder();
  const lines: string[] = [];
  let start = 0;
  while (lines.length < max) {
    const end = body.indexOf(0x0a, start);
    if (end === -1) break;
    const textEnd = end > start && body[end - 1] === 0x0d ? end - 1 : end;
    lines.push(decoder.decode(body.subarray(start, textEnd)));
    start = end + 1;
  }
  return { lines, octets: start };
}

/** The old headerFieldTexts: each field (its folded lines) decoded on its own. */
function fieldsOneByOne(message: Uint8Array): string[] {
  const end = headerEnd(message);
  const fields: string[] = [];
  let fieldStart = 0;
  let lineStart = 0;
  while (lineStart < end) {
    const lineEnd = message.indexOf(0x0a, lineStart);
    const next = lineEnd === -1 || lineEnd >= end ? end : lineEnd + 1;
    if (!(next < end && (message[next] === 0x20 || message[next] === 0x09))) {
      const field = message.subarray(fieldStart, next);
      fields.push(field.some((byte) => byte >= 0x80) ? decodeText(field) : new TextDecoder().decode(field));
      fieldStart = next;
    }
    lineStart = next;
  }
  return fields;
}

describe('decoding a block in one call', () => {
  it('leadingLines gives the lines and octets a decode of each line gave', () => {
    fc.assert(
      fc.property(trickyBytes, fc.integer({ min: 0, max: 12 }), (body, max) => {
        expect(leadingLines(body, max)).toEqual(leadingLinesOneByOne(body, max));
        expect(leadingLines(body, Infinity)).toEqual(leadingLinesOneByOne(body, Infinity));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a BOM-led line, a CR inside a line and broken UTF-8 before a line end as before', () => {
    const body = new Uint8Array([
      0xef, 0xbb, 0xbf, 0x41, 0x0d, 0x0a, 0xe2, 0x82, 0x0d, 0x0a, 0x42, 0x0d, 0x43, 0x0a, 0x44,
    ]);
    expect(leadingLines(body, 10)).toEqual({ lines: ['A', '\uFFFD', 'B\rC'], octets: 14 });
    expect(leadingLines(body, 10)).toEqual(leadingLinesOneByOne(body, 10));
  });

  it('headerFieldTexts gives the fields a decode of each field gave, ASCII or not', () => {
    fc.assert(
      fc.property(trickyBytes, (block) => {
        expect(headerFieldTexts(block)).toEqual(fieldsOneByOne(block));
      }),
      { numRuns: 500 },
    );
    const ascii = fc
      .array(fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x20, 0x09, 0x3a), fc.integer({ min: 0, max: 127 })), {
        maxLength: 300,
      })
      .map((values) => new Uint8Array(values));
    fc.assert(
      fc.property(ascii, (block) => {
        expect(headerFieldTexts(block)).toEqual(fieldsOneByOne(block));
      }),
      { numRuns: 500 },
    );
  });
});
