import libmime from 'libmime';
import { headerText } from '@webpop/pop3';

/** What `list` shows of a message, from its header block. */
export interface HeaderSummary {
  readonly date: Date | undefined;
  /** Decoded, as in the header: `Name <address>`. */
  readonly from: string;
  readonly subject: string;
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
