import { decodeHeaderFields, parseMailDate } from '@webpop/pop3';

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
  const date = parseMailDate(first('date'));
  return {
    subject: first('subject'),
    from: first('from'),
    to: [...(fields.get('to') ?? []), ...(fields.get('cc') ?? [])].map((value) => value.trim()),
    date: date === undefined ? undefined : new Date(date),
  };
}
