import { decodeText } from './mail/charset.js';

/** Where a message's header block ends: just after the line end that precedes the first empty line. */
export function headerEnd(message: Uint8Array): number {
  // A message that opens with an empty line has no headers.
  if (message[0] === 0x0a || (message[0] === 0x0d && message[1] === 0x0a)) return 0;
  for (let index = 0; index < message.length; index++) {
    if (message[index] !== 0x0a) continue;
    const next = message[index + 1];
    if (next === 0x0a) return index + 1;
    if (next === 0x0d && message[index + 2] === 0x0a) return index + 1;
  }
  return message.length;
}

/**
 * The header block (up to the first empty line) as text. Headers should be ASCII with encoded words;
 * raw 8-bit bytes are taken as UTF-8 where valid, else as windows-1252 (a superset of Latin-1).
 */
export function headerText(message: Uint8Array): string {
  return decodeText(message.subarray(0, headerEnd(message)));
}
