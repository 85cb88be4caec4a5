import {
  addressListOf,
  decodeHeaderFields,
  formatAddressList,
  mailboxesOf,
  parseMailDate,
  type MailAddress,
} from '@webpop/pop3';

/** The headers `waitForMessage` matches on, decoded (RFC 2047 encoded words, any charset). */
export interface HeaderSummary {
  readonly subject: string;
  /** RFC 5322 text from the engine's address-list parser: `Name <address>`, the name quoted only where it must be. */
  readonly from: string;
  /** The To and Cc fields, each as RFC 5322 text like `from`. */
  readonly to: readonly string[];
  /** The From mailboxes, parsed: display names decoded, addresses as they are. */
  readonly senders: readonly MailAddress[];
  /** The To and Cc mailboxes (group members included), parsed. */
  readonly recipients: readonly MailAddress[];
  /** Undefined when there is no Date header or it cannot be read. */
  readonly date: Date | undefined;
}

/**
 * Reads the header block of a message (e.g. the reply to `TOP n 0`). Addresses go through the engine's
 * RFC 5322 parser, which decodes encoded words in display names after parsing (never before: a decoded
 * name may hold `,` or `<`), so `"New User" <a@x>` and `=?UTF-8?Q?New_User?= <a@x>` read the same.
 */
export function summarizeHeaders(bytes: Uint8Array): HeaderSummary {
  const fields = decodeHeaderFields(bytes);
  const date = parseMailDate(fields.get('date')?.[0]?.trim() ?? '');
  const from = addressListOf(bytes, 'from');
  const to = addressListOf(bytes, 'to');
  const cc = addressListOf(bytes, 'cc');
  return {
    subject: fields.get('subject')?.[0]?.trim() ?? '',
    from: formatAddressList(from),
    to: [to, cc].filter((list) => list.length > 0).map(formatAddressList),
    senders: mailboxesOf(from),
    recipients: mailboxesOf([...to, ...cc]),
    date: date === undefined ? undefined : new Date(date),
  };
}
