import libmime from 'libmime';

/** The headers `waitForMessage` matches on, decoded (RFC 2047 encoded words, any charset). */
export interface HeaderSummary {
  readonly subject: string;
  /** As in the header: `Name <address>`. */
  readonly from: string;
  /** The To and Cc fields, each as in the header. */
  readonly to: readonly string[];
  /** Undefined when there is no Date header or it cannot be read. */
  readonly date: Date | undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/** Reads the header block of a message (e.g. the reply to `TOP n 0`). */
export function summarizeHeaders(bytes: Uint8Array): HeaderSummary {
  const fields = decodeHeaderFields(bytes);
  const first = (name: string) => fields.get(name)?.[0]?.trim() ?? '';
  return {
    subject: first('subject'),
    from: first('from'),
    to: [...(fields.get('to') ?? []), ...(fields.get('cc') ?? [])].map((value) => value.trim()),
    date: parseDate(first('date')),
  };
}

/** Header fields by lower-cased name, unfolded, encoded words decoded. */
export function decodeHeaderFields(bytes: Uint8Array): Map<string, string[]> {
  const parsed = libmime.decodeHeaders(headerText(bytes), { skipPrototypeKeys: true });
  return new Map(Object.entries(parsed).map(([name, values]) => [name, values.map(decodeWords)]));
}

function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** The header block (up to the first empty line) as text: UTF-8 when it is valid, else Windows-1252. */
function headerText(bytes: Uint8Array): string {
  const block = bytes.subarray(0, headerEnd(bytes));
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
