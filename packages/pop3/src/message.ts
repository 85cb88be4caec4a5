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
  // Most header blocks are all ASCII: decoded in one call and cut as text (its offsets are the bytes').
  // A decode call costs about 4 µs in Chromium whatever its length, so one a field (some 20 in a 1 KB
  // block) was most of the list's 100 µs a header (a CPU profile of 10,000 TOP replies: 0.8 of 1.8 s).
  const ascii = isAscii(message, end) ? asciiDecoder.decode(message.subarray(0, end)) : undefined;
  const fields: string[] = [];
  let fieldStart = 0;
  let lineStart = 0;
  while (lineStart < end) {
    const lineEnd = message.indexOf(0x0a, lineStart);
    const next = lineEnd === -1 || lineEnd >= end ? end : lineEnd + 1;
    const continues = next < end && (message[next] === 0x20 || message[next] === 0x09);
    if (!continues) {
      fields.push(
        ascii !== undefined
          ? ownSlice(ascii, fieldStart, next)
          : decodeField(message.subarray(fieldStart, next)),
      );
      fieldStart = next;
    }
    lineStart = next;
  }
  return fields;
}

const asciiDecoder = new TextDecoder('utf-8');

/**
 * `text.slice(start, end)` as a string of its own, which keeps nothing else alive. V8 makes a slice of
 * 13 or more characters a view into its parent (a sliced string), so a Subject or Message-ID cut from
 * the header block kept the whole block for as long as the list kept the message; in Chromium a
 * TextDecoder's result lives outside the JavaScript heap (Blink's PartitionAlloc): 148 MB of the tab's
 * 408 MB at 100,000 listed messages (a memory-infra dump of the renderer, e2e/bench/profile/big-list.ts).
 * A character put before it makes a rope, which the slice flattens into a fresh copy of the field
 * alone (100,000 slices kept of 1.4 KB texts in Node: 144 MB of heap, copied this way 9.5 MB).
 */
export function ownSlice(text: string, start: number, end: number): string {
  return ` ${text.slice(start, end)}`.slice(1);
}

function isAscii(bytes: Uint8Array, end: number): boolean {
  for (let index = 0; index < end; index++) if (bytes[index]! >= 0x80) return false;
  return true;
}

/** Most fields are ASCII: one shared decoder for them, the fallback chain only for the others. */
function decodeField(bytes: Uint8Array): string {
  for (const byte of bytes) if (byte >= 0x80) return decodeText(bytes);
  return asciiDecoder.decode(bytes);
}

/** The header block (up to the first empty line) as text, each field decoded on its own. */
export function headerText(message: Uint8Array): string {
  return headerFieldTexts(message).join('');
}
