import { decodeText } from './charset.js';
import { displayText } from './display-text.js';
import { decodeEncodedWords } from './encoded-words.js';

export interface MailAddress {
  readonly name: string;
  readonly address: string;
}

/** What the message list shows, from a `TOP n 0` reply (or any header block). */
export interface HeaderSummary {
  readonly from: MailAddress | undefined;
  readonly subject: string;
  /** Milliseconds since the epoch; undefined when the Date header is missing or unreadable. */
  readonly date: number | undefined;
  readonly messageId: string | undefined;
}

/** The header section of a message: up to the first empty line. */
function headerSection(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    // LF LF or LF CR LF ends the headers.
    if (bytes[i + 1] === 0x0a) return bytes.subarray(0, i);
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return bytes.subarray(0, i);
  }
  if (bytes[0] === 0x0d || bytes[0] === 0x0a) return bytes.subarray(0, 0);
  return bytes;
}

/**
 * Parses a header block into [lower-case name, unfolded raw value] pairs. Raw 8-bit bytes (outside
 * encoded words) are read as UTF-8 when valid, else as windows-1252.
 */
export function parseHeaderLines(bytes: Uint8Array): Array<[string, string]> {
  const text = decodeText(headerSection(bytes));
  const headers: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n(?![ \t])/)) {
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

/** Parses an RFC 5322 date, tolerating comments and missing parts; undefined when unreadable. */
export function parseMailDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const cleaned = value
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let time = Date.parse(cleaned);
  if (Number.isNaN(time)) time = Date.parse(cleaned.replace(/^[A-Za-z]{3},?\s*/, ''));
  if (Number.isNaN(time)) time = Date.parse(cleaned.replace(/\s+[A-Z]{2,5}$/, ''));
  return Number.isNaN(time) ? undefined : time;
}

export function summarizeHeaders(bytes: Uint8Array): HeaderSummary {
  const headers = parseHeaderLines(bytes);
  const first = (name: string) => headers.find(([key]) => key === name)?.[1];
  const fromValue = first('from') ?? first('sender') ?? first('return-path');
  const from = fromValue
    ? parseAddress(fromValue.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)[0] ?? fromValue)
    : undefined;
  return {
    from: from && { name: displayText(from.name), address: displayText(from.address) },
    subject: displayText(decodeEncodedWords(first('subject') ?? '')),
    date: parseMailDate(first('date')),
    messageId: first('message-id'),
  };
}

/** The name to show for a sender: the display name, else the address. */
export function senderLabel(address: MailAddress | undefined): string {
  if (!address) return '';
  return address.name || address.address;
}
