import libmime from 'libmime';

/** What `list` shows of a message, from its header block. */
export interface HeaderSummary {
  readonly date: Date | undefined;
  /** Decoded, as in the header: `Name <address>`. */
  readonly from: string;
  readonly subject: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/** The header block of a message (up to the first empty line), as text. */
export function headerText(bytes: Uint8Array): string {
  const end = headerEnd(bytes);
  const block = bytes.subarray(0, end);
  // Headers should be ASCII with encoded words; raw 8-bit text is usually UTF-8, else a Latin charset.
  try {
    return strictUtf8.decode(block);
  } catch {
    return windows1252.decode(block);
  }
}

function headerEnd(bytes: Uint8Array): number {
  for (let index = 0; index < bytes.length; index++) {
    if (bytes[index] !== 0x0a) continue;
    const next = bytes[index + 1];
    if (next === 0x0a) return index + 1;
    if (next === 0x0d && bytes[index + 2] === 0x0a) return index + 1;
  }
  return bytes.length;
}

/** Header fields by lower-cased name, unfolded, encoded words decoded (RFC 2047, any charset). */
export function decodeHeaderFields(bytes: Uint8Array): Map<string, string[]> {
  const parsed = libmime.decodeHeaders(headerText(bytes), { skipPrototypeKeys: true });
  const fields = new Map<string, string[]>();
  for (const [key, values] of Object.entries(parsed)) {
    fields.set(
      key,
      values.map((value) => decodeWords(value)),
    );
  }
  return fields;
}

export function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

export function summariseHeaders(bytes: Uint8Array): HeaderSummary {
  const fields = decodeHeaderFields(bytes);
  const first = (name: string) => fields.get(name)?.[0]?.trim() ?? '';
  return { date: parseDate(first('date')), from: first('from'), subject: first('subject') };
}

/** An RFC 5322 date (comments such as `(CET)` allowed), or undefined. */
export function parseDate(value: string): Date | undefined {
  if (!value) return undefined;
  const withoutComments = value
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const time = Date.parse(withoutComments);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** `Name <address>` → `Name`; a bare address stays as it is. */
export function displayName(from: string): string {
  const match = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(from);
  if (!match) return from.trim();
  const name = match[1]!
    .replace(/^"(.*)"$/, '$1')
    .replace(/\\(.)/g, '$1')
    .trim();
  return name || match[2]!.trim();
}
