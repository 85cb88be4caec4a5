import { concatBytes } from '../bytes.js';
import { decodeText } from './charset.js';

/** RFC 2047 encoded word: =?charset[*language]?B|Q?text?= */
const encodedWord = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;

/** Lenient, unlike SASL's: mailers emit broken padding and stray characters in encoded words. */
function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const usable = clean.length - (clean.length % 4 === 1 ? 1 : 0);
  const bytes = new Uint8Array(Math.floor((usable * 3) / 4));
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let buffer = 0;
  let bits = 0;
  let out = 0;
  for (let i = 0; i < usable; i++) {
    buffer = (buffer << 6) | alphabet.indexOf(clean[i]!);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes.subarray(0, out);
}

function decodeQ(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '_') bytes.push(0x20);
    else if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = char.charCodeAt(0);
      bytes.push(code < 0x100 ? code : 0x3f);
    }
  }
  return new Uint8Array(bytes);
}

/**
 * Decodes the encoded words in a header value. Whitespace between adjacent encoded words is dropped,
 * and adjacent words in the same charset are joined as bytes before decoding, so a multi-byte character
 * split across two words (common with UTF-8 and base64) comes out whole.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let result = '';
  let last = 0;
  let pending: { charset: string; bytes: Uint8Array[] } | undefined;
  const flush = () => {
    if (pending) result += decodeText(concatBytes(pending.bytes), pending.charset);
    pending = undefined;
  };
  for (const match of value.matchAll(encodedWord)) {
    const [whole, charset = '', encoding = '', text = ''] = match;
    const between = value.slice(last, match.index);
    const adjacent = pending !== undefined && /^[ \t\r\n]*$/.test(between);
    if (!adjacent) {
      flush();
      result += between;
    }
    const bytes = encoding.toUpperCase() === 'B' ? decodeBase64(text) : decodeQ(text);
    const lowerCharset = charset.toLowerCase();
    if (pending && pending.charset !== lowerCharset) flush();
    if (pending) pending.bytes.push(bytes);
    else pending = { charset: lowerCharset, bytes: [bytes] };
    last = match.index + whole.length;
  }
  flush();
  return result + value.slice(last);
}
