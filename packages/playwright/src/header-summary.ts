import libmime from 'libmime';
import { headerText } from '@webpop/pop3';

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
