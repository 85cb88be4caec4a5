const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const TERMINATOR = Buffer.from('.\r\n');

/**
 * Frames CRLF message data as a POP3 multi-line body: lines starting with '.' get a second '.',
 * the data ends with CRLF, and the ".\r\n" terminator follows.
 */
export function frameMultiline(data: Uint8Array): Buffer {
  let dots = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === DOT && (i === 0 || data[i - 1] === LF)) dots++;
  }
  const needsCrlf = data.length > 0 && !(data[data.length - 1] === LF && data[data.length - 2] === CR);
  const out = Buffer.alloc(data.length + dots + (needsCrlf ? 2 : 0) + TERMINATOR.length);
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i] as number;
    if (byte === DOT && (i === 0 || data[i - 1] === LF)) out[o++] = DOT;
    out[o++] = byte;
  }
  if (needsCrlf) {
    out[o++] = CR;
    out[o++] = LF;
  }
  TERMINATOR.copy(out, o);
  return out;
}

/** Frames text lines (each without CRLF) as a multi-line body. */
export function frameLines(lines: readonly string[]): Buffer {
  return frameMultiline(Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'utf8'));
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
