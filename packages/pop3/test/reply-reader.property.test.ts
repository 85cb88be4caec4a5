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

type LineEnding = 'crlf' | 'lf';

/**
 * What a server sends for a message (the oracle, written apart from the reader): `crlf` as RFC 1939
 * says (a line is what CRLF ends; a dot at a line start is doubled; the body ends in CRLF, then "." CRLF);
 * `lf` as a server whose every line ends in a bare LF. Returns the wire bytes and the body it means.
 */
function frame(body: Uint8Array, lineEnding: LineEnding): { wire: number[]; meant: Uint8Array } {
  const eol = lineEnding === 'crlf' ? [CR, LF] : [LF];
  const bytes = [...body];
  const endsLine = (at: number) =>
    at === 0 || (bytes[at - 1] === LF && (lineEnding === 'lf' || bytes[at - 2] === CR));
  if (bytes.length > 0 && !endsLine(bytes.length)) bytes.push(...eol);
  const wire: number[] = [];
  bytes.forEach((byte, at) => {
    if (byte === DOT && endsLine(at)) wire.push(DOT);
    wire.push(byte);
  });
  wire.push(DOT, ...eol);
  return { wire, meant: Uint8Array.from(bytes) };
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** A session: the greeting, then pipelined RETR replies, each `+OK` then a framed body. */
function session(bodies: Uint8Array[], lineEnding: LineEnding) {
  const eol = lineEnding === 'crlf' ? '\r\n' : '\n';
  const wire = ascii(`+OK ready${eol}`);
  const meant: Uint8Array[] = [];
  for (const body of bodies) {
    const framed = frame(body, lineEnding);
    wire.push(...ascii(`+OK ${body.length} octets${eol}`), ...framed.wire);
    meant.push(framed.meant);
  }
  return { wire: Uint8Array.from(wire), meant };
}

/** The bodies a reader returns for a greeting and `count` multi-line replies fed in these pieces. */
function readBodies(pieces: Uint8Array[], count: number): Uint8Array[] {
  const bodies: Uint8Array[] = [];
  let chunks: Uint8Array[] = [];
  let greeted = false;
  const reader = new ReplyReader({
    nextReplyKind: () => (!greeted ? 'single' : bodies.length < count ? 'multi' : undefined),
    status: () => {
      greeted = true;
    },
    body: (chunk) => chunks.push(chunk.slice()),
    end: () => {
      bodies.push(concatBytes(chunks));
      chunks = [];
    },
  });
  for (const piece of pieces) reader.feed(piece);
  expect(reader.midReply).toBe(false);
  return bodies;
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

/** Bodies rich in what matters: dots, CR, LF, terminators and fake status lines at every position. */
const piece = fc.oneof(
  fc.constantFrom(DOT, CR, LF, DOT, 0x20, 0x41).map((byte) => [byte]),
  fc.integer({ min: 0, max: 255 }).map((byte) => [byte]),
  fc
    .constantFrom('\r\n', '\n.\r\n', '.\r\n', '\n.\n', '\r\n.\n', '+OK 1 octets\r\n', '-ERR no\r\n', '+OK\n')
    .map(ascii),
);
const body = fc.array(piece, { maxLength: 120 }).map((pieces) => Uint8Array.from(pieces.flat()));
const lineEnding = fc.constantFrom<LineEnding>('crlf', 'lf');

describe('ReplyReader properties', () => {
  it('reads back what the server meant, on either kind of server, however the stream is cut', () => {
    fc.assert(
      fc.property(
        lineEnding,
        fc.array(body, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (ending, bodies, positions) => {
          const { wire, meant } = session(bodies, ending);
          const read = readBodies(cut(wire, positions), bodies.length);
          expect(read.map((bytes) => Buffer.from(bytes).toString('latin1'))).toEqual(
            meant.map((bytes) => Buffer.from(bytes).toString('latin1')),
          );
        },
      ),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('tells a one-line reply from a body by the line after +OK (detect), however the stream is cut', () => {
    // A body whose first line reads as a status line is the one thing detection cannot tell (see
    // ReplyKind): left out here, by construction.
    const looksLikeStatus = (bytes: Uint8Array) =>
      /^(\+OK|-ERR)([ \r\n]|$)/i.test(Buffer.from(bytes).toString('latin1'));
    const reply = fc.oneof(
      fc.constant<Uint8Array | undefined>(undefined),
      body.filter((bytes) => !looksLikeStatus(bytes)),
    );
    fc.assert(
      fc.property(
        lineEnding,
        fc.array(reply, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (ending, replies, positions) => {
          const eol = ending === 'crlf' ? '\r\n' : '\n';
          const wire = ascii(`+OK ready${eol}`);
          const meant: Array<string | undefined> = [];
          for (const bytes of replies) {
            wire.push(...ascii(`+OK help${eol}`));
            if (bytes === undefined) meant.push(undefined);
            else {
              const framed = frame(bytes, ending);
              wire.push(...framed.wire);
              meant.push(Buffer.from(framed.meant).toString('latin1'));
            }
            wire.push(...ascii(`+OK probe${eol}`));
          }
          const kinds: ReplyKind[] = ['single', ...replies.flatMap((): ReplyKind[] => ['detect', 'single'])];
          const read: Array<string | undefined> = [];
          let chunks: Uint8Array[] | undefined;
          const reader = new ReplyReader({
            nextReplyKind: () => kinds[0],
            status: (status) => {
              if (kinds[0] === 'detect' && status.indicator === '+OK') chunks = [];
              else kinds.shift();
            },
            body: (chunk) => chunks!.push(chunk.slice()),
            end: () => {
              read.push(Buffer.from(concatBytes(chunks!)).toString('latin1'));
              kinds.shift();
            },
            detected: (multiLine) => {
              if (multiLine) return;
              read.push(undefined);
              kinds.shift();
            },
          });
          for (const piece of cut(Uint8Array.from(wire), positions)) reader.feed(piece);
          expect(reader.midReply).toBe(false);
          expect(kinds).toEqual([]);
          expect(read).toEqual(meant);
        },
      ),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('parses or refuses any byte stream, never failing another way', () => {
    const kinds: ReplyKind[] = ['single', 'multi', 'sasl', 'detect'];
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
              if ((kind !== 'multi' && kind !== 'detect') || status.indicator !== '+OK') queue.shift();
            },
            body: () => {},
            end: () => queue.shift(),
            detected: (multiLine) => {
              if (!multiLine) queue.shift();
            },
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
