import { base64Encode, utf8 } from '@webpop/pop3/codec';
import { composeLimits } from '../limits.js';

export type TransferEncoding = '7bit' | 'quoted-printable' | 'base64';

/** The text's line breaks as CRLF (a textarea gives LF; a lone CR becomes a line break too). */
export function crlfLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

/** 7bit when every line is printable ASCII (and tab) within 998 characters, else quoted-printable. */
export function textEncoding(text: string): TransferEncoding {
  return crlfLines(text).every(
    (line) => /^[\x20-\x7e\t]*$/.test(line) && line.length <= composeLimits.maxLineLength,
  )
    ? '7bit'
    : 'quoted-printable';
}

const hex = (byte: number) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * RFC 2045 section 6.7 quoted-printable of the text's UTF-8: hard line breaks as CRLF, soft breaks
 * (`=` CRLF) keeping lines within 76 characters, an escape never split, white space before a line
 * break escaped (it would be taken for padding), and `From ` at a line start escaped (mbox readers).
 */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of crlfLines(text)) {
    const bytes = utf8(line);
    let current = '';
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      const last = i === bytes.length - 1;
      const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
      const fromAtStart = i === 0 && byte === 70 && line.startsWith('From ');
      const piece = literal && !fromAtStart ? String.fromCharCode(byte) : hex(byte);
      // A soft break needs room for its '='; the last piece of the line does not.
      const room = composeLimits.encodedLineLength - (last ? 0 : 1);
      if (current.length + piece.length > room) {
        out.push(`${current}=`);
        current = '';
      }
      current += piece;
    }
    out.push(current);
  }
  return out.join('\r\n');
}

/** Base64 in lines of 76 characters (RFC 2045 section 6.8). */
export function base64Lines(bytes: Uint8Array): string {
  const encoded = base64Encode(bytes);
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += composeLimits.encodedLineLength) {
    lines.push(encoded.slice(i, i + composeLimits.encodedLineLength));
  }
  return lines.join('\r\n');
}

/** The body of a text part in the encoding `textEncoding` chose. */
export function encodeText(text: string, encoding: TransferEncoding): string {
  return encoding === 'quoted-printable' ? quotedPrintable(text) : crlfLines(text).join('\r\n');
}
