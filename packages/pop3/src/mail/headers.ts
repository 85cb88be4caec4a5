import { headerFieldTexts } from '../message.js';
import { firstListEntry } from './address-list.js';
import { decodeEncodedWords } from './encoded-words.js';

export interface MailAddress {
  readonly name: string;
  readonly address: string;
}

/** What a message list shows, from a `TOP n 0` reply (or any header block). */
export interface HeaderSummary {
  readonly from: MailAddress | undefined;
  readonly subject: string;
  /** Milliseconds since the epoch; undefined when the Date header is missing or unreadable. */
  readonly date: number | undefined;
  readonly messageId: string | undefined;
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

/** Parses one address (`"Name" <a@b>`, `Name <a@b>`, `a@b (Name)`, `a@b`), decoding encoded words. */
export function parseAddress(value: string): MailAddress | undefined {
  const raw = value.trim();
  if (!raw) return undefined;
  const angle = /<([^<>]*)>\s*$/.exec(raw);
  if (angle) {
    let name = raw.slice(0, angle.index).trim();
    if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) {
      name = name.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    return { name: decodeEncodedWords(name).trim(), address: angle[1]!.trim() };
  }
  const comment = /\(([^()]*)\)/.exec(raw);
  const address = raw.replace(/\([^()]*\)/g, '').trim();
  return {
    name: comment ? decodeEncodedWords(comment[1]!).trim() : '',
    address: decodeEncodedWords(address),
  };
}

/** The first address of an address list (commas inside quotes do not split). */
export function firstAddress(list: string): MailAddress | undefined {
  return parseAddress(firstListEntry(list));
}

/** `Name <address>`, or the bare address when there is no name. */
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
  };
}
