// frameMultiline finds the dots to stuff with Buffer.indexOf; checked here against the rule spelled
// out byte by byte (the former implementation), on every text up to 6 bytes of CR, LF and '.' (".\r\n.\r\n" and its kin).
import { describe, expect, it } from 'vitest';
import { frameMultiline, type LineEnding } from '../src/pop3-server/multiline.js';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/** RFC 1939 framing, one byte at a time: a '.' at a line start gets a second '.'. */
function framedByteByByte(data: Uint8Array, lineEnding: LineEnding): Buffer {
  const bytes =
    lineEnding === 'lf'
      ? Buffer.from(Buffer.from(data).toString('latin1').replaceAll('\r\n', '\n'), 'latin1')
      : data;
  const lineStartAt = (i: number): boolean =>
    i === 0 || (bytes[i - 1] === LF && (lineEnding === 'lf' || bytes[i - 2] === CR));
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === DOT && lineStartAt(i)) out.push(DOT);
    out.push(bytes[i]!);
  }
  const eol = lineEnding === 'lf' ? [LF] : [CR, LF];
  if (bytes.length > 0 && !lineStartAt(bytes.length)) out.push(...eol);
  out.push(DOT, ...eol);
  return Buffer.from(out);
}

/** Every sequence of up to `length` bytes drawn from `alphabet`. */
function* allTexts(alphabet: readonly number[], length: number): Generator<Uint8Array> {
  yield new Uint8Array(0);
  let level: number[][] = [[]];
  for (let n = 1; n <= length; n++) {
    level = level.flatMap((text) => alphabet.map((byte) => [...text, byte]));
    for (const text of level) yield Uint8Array.from(text);
  }
}

describe('frameMultiline', () => {
  for (const lineEnding of ['crlf', 'lf'] as const) {
    it(`${lineEnding}: frames every short text of CR, LF and '.' as the byte-by-byte rule does`, () => {
      let checked = 0;
      for (const text of allTexts([CR, LF, DOT], 6)) {
        const framed = frameMultiline(text, lineEnding);
        if (!framed.equals(framedByteByByte(text, lineEnding))) {
          expect(JSON.stringify(framed.toString('latin1'))).toBe(
            JSON.stringify(framedByteByByte(text, lineEnding).toString('latin1')),
          );
        }
        checked++;
      }
      expect(checked).toBe((3 ** 7 - 1) / 2);
    });
  }

  it('frames a view into a larger buffer by its own bytes only', () => {
    const whole = Buffer.from('xx\r\n.one\r\n.two\r\nyy', 'latin1');
    const view = whole.subarray(4, 16);
    expect(frameMultiline(view).toString('latin1')).toBe('..one\r\n..two\r\n.\r\n');
  });
});
