import { headerFieldTexts } from '../message.js';
import { firstAddress, parseAddressList, type AddressListEntry, type MailAddress } from './address-list.js';
import { decodeEncodedWords } from './encoded-words.js';
import { firstMessageId, parseMessageIds } from './message-ids.js';

/** What a message list shows, from a `TOP n 0` reply (or any header block). */
export interface HeaderSummary {
  readonly from: MailAddress | undefined;
  readonly subject: string;
  /** Milliseconds since the epoch; undefined when the Date header is missing or unreadable. */
  readonly date: number | undefined;
  /** The Message-ID field as written (angle brackets included). */
  readonly messageId: string | undefined;
  /** The first msg-id of In-Reply-To, without angle brackets. */
  readonly inReplyTo: string | undefined;
  /**
   * The msg-ids of References, without angle brackets, oldest first; at most
   * `messageIdLimits.maxReferences` (the first and the latest).
   */
  readonly references: readonly string[];
  /** The top-level Content-Type's `type/subtype`, lower case (`multipart/mixed`); undefined without one. */
  readonly mediaType: string | undefined;
  /** The top-level Content-Disposition's kind, lower case (`attachment`, `inline`). */
  readonly disposition: string | undefined;
}

/**
 * Parses a header block into [lower-case name, unfolded raw value] pairs, in order. Raw 8-bit bytes
 * (outside encoded words) are read field by field: as UTF-8 when valid, else as windows-1252.
 */
export function parseHeaderLines(message: Uint8Array): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const field of headerFieldTexts(message)) {
    const line = field.replace(/\r?\n$/, '');
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!name || /\s/.test(name)) continue;
    headers.push([
      name,
      line
        .slice(colon + 1)
        .replace(/\r?\n[ \t]/g, ' ')
        .trim(),
    ]);
  }
  return headers;
}

/**
 * The addresses of every `field` header (lower-case name: `from`, `to`, `cc`…) of a message, parsed
 * from the raw value: encoded words are decoded inside display names only, never before parsing (an
 * encoded `,` or `<` cannot change the list's structure).
 */
export function addressListOf(message: Uint8Array, field: string): AddressListEntry[] {
  return parseHeaderLines(message)
    .filter(([name]) => name === field)
    .flatMap(([, value]) => parseAddressList(value));
}

/** Header fields by lower-case name, unfolded, encoded words decoded (RFC 2047, any charset). */
export function decodeHeaderFields(message: Uint8Array): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const [name, value] of parseHeaderLines(message)) {
    const decoded = decodeEncodedWords(value);
    const values = fields.get(name);
    if (values) values.push(decoded);
    else fields.set(name, [decoded]);
  }
  return fields;
}

/** `Name <address>`, or the bare address when there is no name: for reading, never quoted (see formatMailbox). */
export function formatAddress(address: MailAddress | undefined): string {
  if (!address) return '';
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

/** The name to show for a sender: the display name, else the address. */
export function senderLabel(address: MailAddress | undefined): string {
  if (!address) return '';
  return address.name || address.address;
}

const MAX_DATE_CHARS = 1000;

/** Parses an RFC 5322 date, tolerating comments and missing parts; undefined when unreadable. */
export function parseMailDate(value: string | undefined): number | undefined {
  // A date is some 40 characters; a longer value is not one, and Date.parse on 1 MiB of it costs
  // about 15 times what the rest of the header block does.
  if (!value || value.length > MAX_DATE_CHARS) return undefined;
  const cleaned = value
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let time = Date.parse(cleaned);
  if (Number.isNaN(time)) time = Date.parse(cleaned.replace(/^[A-Za-z]{3},?\s*/, ''));
  if (Number.isNaN(time)) time = Date.parse(cleaned.replace(/\s+[A-Z]{2,5}$/, ''));
  return Number.isNaN(time) ? undefined : time;
}

export function summarizeHeaders(message: Uint8Array): HeaderSummary {
  const headers = parseHeaderLines(message);
  const first = (name: string) => headers.find(([key]) => key === name)?.[1];
  const fromValue = first('from') ?? first('sender') ?? first('return-path');
  return {
    from: fromValue ? firstAddress(fromValue) : undefined,
    subject: decodeEncodedWords(first('subject') ?? '')
      .replace(/\s+/g, ' ')
      .trim(),
    date: parseMailDate(first('date')),
    messageId: first('message-id'),
    inReplyTo: firstMessageId(first('in-reply-to')),
    references: parseMessageIds(first('references')),
    mediaType: tokenOf(first('content-type')),
    disposition: tokenOf(first('content-disposition')),
  };
}

/** A MIME field's value before its parameters, lower case; undefined when empty or not a token. */
function tokenOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semicolon = value.indexOf(';');
  const token = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return token && token.length <= 127 && !/[\s"]/.test(token) ? token : undefined;
}
