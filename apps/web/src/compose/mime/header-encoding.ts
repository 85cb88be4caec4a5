import { formatPhrase, type MailAddress } from '@webpop/pop3/mail';
import { base64Encode, utf8 } from '@webpop/pop3/codec';
import { composeLimits } from '../limits.js';

/** Printable ASCII and space: what a header may carry as it is (RFC 5322 section 2.2). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * `text` as RFC 2047 "B" encoded words in UTF-8, each at most 75 characters and each holding whole
 * characters (RFC 2047 section 5: a word must decode on its own), separated by folding white space,
 * which a decoder drops between adjacent encoded words.
 */
export function encodedWords(text: string): string[] {
  const words: string[] = [];
  let pending: number[] = [];
  const flush = () => {
    words.push(`=?UTF-8?B?${base64Encode(Uint8Array.from(pending))}?=`);
    pending = [];
  };
  for (const character of text) {
    const bytes = utf8(character);
    if (pending.length + bytes.length > composeLimits.encodedWordBytes) flush();
    pending.push(...bytes);
  }
  if (pending.length > 0 || words.length === 0) flush();
  return words;
}

/**
 * Whether unstructured text (a subject) can go as it is: printable ASCII, no leading, trailing or
 * doubled spaces (folding and unfolding would not keep them), nothing a decoder would take for an
 * encoded word, and no word too long to fold.
 */
function plainUnstructured(text: string): boolean {
  return (
    PRINTABLE_ASCII.test(text) &&
    !text.includes('=?') &&
    !/^ | $| {2}/.test(text) &&
    text.split(' ').every((word) => word.length <= composeLimits.maxLineLength - 100)
  );
}

/**
 * One header field, folded at spaces so lines stay within 78 characters where the tokens allow
 * (RFC 5322 section 2.2.3): `tokens` are joined by single spaces, and a fold replaces such a space.
 */
export function foldHeader(name: string, tokens: readonly string[]): string {
  let line = `${name}:`;
  const lines: string[] = [];
  for (const token of tokens) {
    if (line.length + 1 + token.length > composeLimits.foldAt && line.trim().length > name.length + 1) {
      lines.push(line);
      line = ` ${token}`;
    } else line += ` ${token}`;
  }
  lines.push(line);
  return lines.join('\r\n');
}

/** An unstructured field (Subject): as it is when plain ASCII, else encoded words. */
export function unstructuredHeader(name: string, text: string): string {
  return foldHeader(name, plainUnstructured(text) ? text.split(' ') : encodedWords(text));
}

/** A display name as phrase tokens: atoms or a quoted string in ASCII, else encoded words. */
function phraseTokens(name: string): string[] {
  if (PRINTABLE_ASCII.test(name) && !name.includes('=?')) {
    const phrase = formatPhrase(name);
    // A quoted string is one token (a fold inside it would change the name); atoms fold between.
    return phrase.startsWith('"') ? [phrase] : phrase.split(' ');
  }
  return encodedWords(name);
}

/** An address field (From, To, Cc): `name <address>` mailboxes separated by commas, folded. */
export function addressHeader(name: string, mailboxes: readonly MailAddress[]): string {
  const tokens: string[] = [];
  mailboxes.forEach((mailbox, index) => {
    const last = index === mailboxes.length - 1;
    const address = mailbox.name ? `<${mailbox.address}>` : mailbox.address;
    if (mailbox.name) tokens.push(...phraseTokens(mailbox.name));
    tokens.push(last ? address : `${address},`);
  });
  return foldHeader(name, tokens);
}

/** RFC 2231 section 7 attribute-char: what a parameter value may hold unencoded. */
const ATTRIBUTE_CHARS = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

/**
 * A MIME parameter (`filename`, `name`): a quoted string when it is short printable ASCII, else RFC
 * 2231 `name*0*=utf-8''…` continuations in UTF-8 with percent escapes, each segment holding whole
 * characters (some readers decode the segments one by one).
 */
export function mimeParameter(name: string, value: string): string[] {
  if (PRINTABLE_ASCII.test(value) && value.length <= composeLimits.parameterSegmentChars) {
    return [`${name}="${value.replace(/["\\]/g, (c) => `\\${c}`)}"`];
  }
  const segments: string[] = [];
  let segment = '';
  for (const character of value) {
    const encoded = ATTRIBUTE_CHARS.test(character)
      ? character
      : [...utf8(character)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    if (segment.length + encoded.length > composeLimits.parameterSegmentChars) {
      segments.push(segment);
      segment = '';
    }
    segment += encoded;
  }
  segments.push(segment);
  return segments.map((text, index) => `${name}*${index}*=${index === 0 ? "utf-8''" : ''}${text}`);
}
