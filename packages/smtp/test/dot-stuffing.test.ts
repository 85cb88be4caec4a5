import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '@webpop/testkit';
import { concatBytes } from '@webpop/pop3/codec';
import { DotStuffer, dotStuffedLength } from '../src/protocol/dot-stuffing.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function stuff(pieces: Uint8Array[]): Uint8Array {
  const stuffer = new DotStuffer();
  return concatBytes([...pieces.map((piece) => stuffer.encode(piece)), stuffer.end()]);
}

/** The oracle, a server's DATA reader (RFC 5321 section 4.5.2), written apart from the stuffer. */
function unstuff(wire: Uint8Array): Uint8Array {
  const lines = text(wire).split('\r\n');
  expect(lines.pop()).toBe('');
  expect(lines.pop()).toBe('.');
  return bytes(lines.map((line) => (line.startsWith('.') ? line.slice(1) : line) + '\r\n').join(''));
}

describe('DotStuffer', () => {
  const message = '.starts with a dot\r\n..two\r\nmiddle . dot\r\n.\r\nend';

  it('doubles a dot at each line start and ends the data, at every byte boundary', () => {
    const all = bytes(message);
    const want = '..starts with a dot\r\n...two\r\nmiddle . dot\r\n..\r\nend\r\n.\r\n';
    for (let at = 0; at <= all.length; at++) {
      expect(text(stuff([all.subarray(0, at), all.subarray(at)]))).toBe(want);
    }
  });

  it('passes a CRLF message byte for byte, and returns the chunk itself when nothing changes', () => {
    const plain = bytes('Subject: x\r\n\r\nbody\r\n');
    const stuffer = new DotStuffer();
    expect(stuffer.encode(plain)).toBe(plain);
    expect(text(stuffer.end())).toBe('.\r\n');
  });

  it('sends a bare LF as CRLF (a dot after it is then stuffed), even when CR and LF come apart', () => {
    expect(text(stuff([bytes('a\n.b\r'), bytes('\nc')]))).toBe('a\r\n..b\r\nc\r\n.\r\n');
  });

  it('sends an empty message as the terminator alone', () => {
    expect(text(stuff([]))).toBe('.\r\n');
    expect(dotStuffedLength(new Uint8Array(0))).toBe(3);
  });

  it('reads back as the message (CRLF-ended) for any bytes, however they are cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'ab.\r\n\u00e9'.split('')), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (chars, cuts) => {
          const raw = chars.join('');
          // What a server should store: bare LFs as CRLF, a final line end added.
          let meant = raw.replace(/(?<!\r)\n/g, '\r\n');
          if (meant !== '' && !meant.endsWith('\r\n')) meant += '\r\n';
          if (/\r(?!\n)/.test(meant)) return; // a lone CR has no line to live in for the oracle
          const all = bytes(raw);
          const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
          const pieces = [...points, all.length].map((end, i, list) =>
            all.subarray(i === 0 ? 0 : list[i - 1], end),
          );
          const wire = stuff(pieces);
          expect(text(unstuff(wire))).toBe(meant);
          expect(dotStuffedLength(all)).toBe(wire.length);
        },
      ),
      { numRuns: fuzzRuns(1000) },
    );
  });
});
