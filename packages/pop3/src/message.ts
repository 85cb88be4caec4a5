const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/** Where a message's header block ends: just after the line end that precedes the first empty line. */
export function headerEnd(message: Uint8Array): number {
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
 * raw 8-bit bytes are taken as UTF-8 where valid, else as Windows-1252 (a superset of Latin-1).
 */
export function headerText(message: Uint8Array): string {
  const block = message.subarray(0, headerEnd(message));
  try {
    return strictUtf8.decode(block);
  } catch {
    return windows1252.decode(block);
  }
}
