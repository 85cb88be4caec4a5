import { randomBytes } from 'node:crypto';

/** "+OK xxxx…" of exactly `bytes` bytes with no line terminator. */
export function overlongStatusLine(bytes: number): Buffer {
  const line = Buffer.alloc(Math.max(0, bytes), 'x');
  Buffer.from('+OK ').copy(line, 0, 0, Math.min(4, line.length));
  return line;
}

/** Random control and high-bit bytes, never CR or LF, followed by CRLF. */
export function binaryGarbageLine(bytes: number): Buffer {
  const alphabet: number[] = [];
  for (let b = 0x00; b <= 0x08; b++) alphabet.push(b);
  for (let b = 0x0e; b <= 0x1f; b++) alphabet.push(b);
  for (let b = 0x80; b <= 0xff; b++) alphabet.push(b);
  const random = randomBytes(bytes);
  const line = Buffer.alloc(bytes + 2);
  for (let i = 0; i < bytes; i++) line[i] = alphabet[(random[i] as number) % alphabet.length] as number;
  line.write('\r\n', bytes, 'latin1');
  return line;
}
