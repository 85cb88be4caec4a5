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
 * The header block (up to the first empty line) split into its fields, each with its folded lines and
 * line end, each decoded on its own (RFC 6532: raw UTF-8 in a field): UTF-8 where valid, else
 * windows-1252 (a superset of Latin-1). One stray 8-bit byte in one field (an `X-…: caf\xe9`) thus
 * leaves a valid UTF-8 Subject as it is, instead of turning the whole block into mojibake.
 */
export function headerFieldTexts(message: Uint8Array): string[] {
  const end = headerEnd(message);
  const fields: string[] = [];
  let fieldStart = 0;
  let lineStart = 0;
  while (lineStart < end) {
    const lineEnd = message.indexOf(0x0a, lineStart);
    const next = lineEnd === -1 || lineEnd >= end ? end : lineEnd + 1;
    const continues = next < end && (message[next] === 0x20 || message[next] === 0x09);
    if (!continues) {
      fields.push(decodeField(message.subarray(fieldStart, next)));
      fieldStart = next;
    }
    lineStart = next;
  }
  return fields;
}

const asciiDecoder = new TextDecoder('utf-8');

/** Most fields are ASCII: one shared decoder for them, the fallback chain only for the others. */
function decodeField(bytes: Uint8Array): string {
  for (const byte of bytes) if (byte >= 0x80) return decodeText(bytes);
  return asciiDecoder.decode(bytes);
}

/** The header block (up to the first empty line) as text, each field decoded on its own. */
export function headerText(message: Uint8Array): string {
  return headerFieldTexts(message).join('');
}
