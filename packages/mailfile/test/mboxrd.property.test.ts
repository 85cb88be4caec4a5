// Property-based tests of the mboxrd encoder and decoder against an oracle written apart from them
// (line by line, a regular expression over Latin-1 text): any messages, cut anywhere, encode as the oracle says and
// decode back byte for byte; any bytes either decode or fail with a MailfileError.
// Runs: fuzzRuns(1000) (fixed in CI; `pnpm fuzz` for long runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '@webpop/testkit';
import { MailfileError, MboxrdDecoder, MboxrdEncoder, formatFromLine } from '../src/index.js';

const envelope = { sender: 'MAILER-DAEMON', date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) };
const latin1 = (data: Uint8Array) => String.fromCharCode(...data);
const fromLatin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

/** The oracle: mboxrd as its definition reads. */
function oracleEncode(messages: Uint8Array[]): string {
  return messages
    .map((message) => {
      // Lines are what LF ends (a regular expression's multi-line ^ would also match after a CR).
      let body = latin1(message)
        .split('\n')
        .map((line) => line.replace(/^(>*From )/, '>$1'))
        .join('\n');
      if (!body.endsWith('\n')) body += '\n';
      return `${latin1(formatFromLine(envelope))}${body}\n`;
    })
    .join('');
}

/** Bytes heavy in what matters here: pieces of `>>From `, line breaks, and any byte now and then. */
const messageBytes = fc
  .array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom('From ', '>From ', '>>From ', '>', 'Fro', 'm ', '\n', '\r\n', ' ', 'x'),
      },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((byte) => String.fromCharCode(byte)) },
    ),
    { maxLength: 40 },
  )
  .map((pieces) => fromLatin1(pieces.join('')));

/** Cut `data` at the given (sorted, clamped) offsets. */
function cut(data: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((offset) => offset % (data.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    parts.push(data.subarray(from, point));
    from = point;
  }
  parts.push(data.subarray(from));
  return parts;
}

const cuts = fc.array(fc.nat(), { maxLength: 8 });

describe('mboxrd properties', () => {
  it('encodes as the oracle, however each message is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(messageBytes, cuts), { maxLength: 5 }), (messages) => {
        const encoder = new MboxrdEncoder();
        let written = '';
        for (const [message, offsets] of messages) {
          written += latin1(encoder.begin(envelope));
          for (const part of cut(message, offsets)) written += latin1(encoder.write(part));
          written += latin1(encoder.end());
        }
        expect(written).toBe(oracleEncode(messages.map(([message]) => message)));
      }),
      { numRuns: fuzzRuns(1000) },
    );
  });

  it('decodes what was encoded back byte for byte, however the file is cut', () => {
    fc.assert(
      fc.property(fc.array(messageBytes, { maxLength: 5 }), cuts, (messages, offsets) => {
        const mbox = fromLatin1(oracleEncode(messages));
        const decoder = new MboxrdDecoder();
        const events = [...cut(mbox, offsets).flatMap((part) => decoder.push(part)), ...decoder.end()];
        const read: string[] = [];
        for (const event of events) {
          if (event.kind === 'start') read.push('');
          else if (event.kind === 'data') read[read.length - 1] += latin1(event.bytes);
        }
        expect(read).toEqual(
          messages.map((message) => {
            const text = latin1(message);
            return text.endsWith('\n') ? text : `${text}\n`;
          }),
        );
      }),
      { numRuns: fuzzRuns(1000) },
    );
  });

  it('any bytes decode, or fail with a MailfileError, the same however they are cut', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          messageBytes,
          messageBytes.map((m) => Uint8Array.from([...fromLatin1('From x\n'), ...m])),
        ),
        cuts,
        (data, offsets) => {
          expect(outcome(cut(data, offsets))).toEqual(outcome([data]));
        },
      ),
      { numRuns: fuzzRuns(1000) },
    );
  });
});

/** What decoding gives: each message as [From line, its bytes as Latin-1], or the error's kind. */
function outcome(parts: Uint8Array[]): Array<[string, string]> | string {
  const decoder = new MboxrdDecoder();
  try {
    const events = [...parts.flatMap((part) => decoder.push(part)), ...decoder.end()];
    const messages: Array<[string, string]> = [];
    for (const event of events) {
      if (event.kind === 'start') messages.push([event.from.line, '']);
      else if (event.kind === 'data') messages[messages.length - 1]![1] += latin1(event.bytes);
    }
    return messages;
  } catch (error) {
    expect(error).toBeInstanceOf(MailfileError);
    return `error: ${(error as MailfileError).kind}`;
  }
}
