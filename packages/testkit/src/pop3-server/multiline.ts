const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/** How a server ends the lines it writes: CRLF as RFC 1939 says, or a bare LF throughout. */
export type LineEnding = 'crlf' | 'lf';

/**
 * Frames message data as a POP3 multi-line body. `crlf` (RFC 1939): a line is what CRLF ends, so only a
 * '.' at the start or after CRLF gets a second '.' (a bare LF inside the data is data), the data ends
 * with CRLF, and ".\r\n" follows. `lf`: every CRLF becomes LF first, every LF ends a line, and ".\n"
 * ends the body.
 */
export function frameMultiline(data: Uint8Array, lineEnding: LineEnding = 'crlf'): Buffer {
  const bytes = lineEnding === 'lf' ? crlfToLf(data) : data;
  const lineStartAt = (i: number): boolean =>
    i === 0 || (bytes[i - 1] === LF && (lineEnding === 'lf' || bytes[i - 2] === CR));
  let dots = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === DOT && lineStartAt(i)) dots++;
  const eol = lineEnding === 'lf' ? [LF] : [CR, LF];
  const needsEol = bytes.length > 0 && !lineStartAt(bytes.length);
  const out = Buffer.alloc(bytes.length + dots + (needsEol ? eol.length : 0) + 1 + eol.length);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === DOT && lineStartAt(i)) out[o++] = DOT;
    out[o++] = byte;
  }
  if (needsEol) for (const byte of eol) out[o++] = byte;
  out[o++] = DOT;
  for (const byte of eol) out[o++] = byte;
  return out;
}

/** Frames text lines (each without a line end) as a multi-line body. */
export function frameLines(lines: readonly string[], lineEnding: LineEnding = 'crlf'): Buffer {
  return frameMultiline(Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'utf8'), lineEnding);
}

function crlfToLf(data: Uint8Array): Uint8Array {
  return Buffer.from(Buffer.from(data).toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
}

/** TOP: the header section, the blank line, then the first `bodyLines` lines of the body. */
export function topOfMessage(message: Uint8Array, bodyLines: number): Uint8Array {
  const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  const blankLine = bytes.indexOf('\r\n\r\n');
  if (blankLine === -1) return Buffer.concat([bytes, Buffer.from('\r\n')]);
  let end = blankLine + 4;
  for (let line = 0; line < bodyLines && end < bytes.length; line++) {
    const next = bytes.indexOf('\n', end);
    end = next === -1 ? bytes.length : next + 1;
  }
  return bytes.subarray(0, end);
}
