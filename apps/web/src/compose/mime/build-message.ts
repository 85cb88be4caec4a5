import type { MailAddress } from '@webpop/pop3/mail';
import { utf8 } from '@webpop/pop3/codec';
import { composeLimits } from '../limits.js';
import { base64Lines, encodeText, textEncoding } from './body-encoding.js';
import { rfc5322Date } from './dates.js';
import {
  addressHeader,
  encodedWords,
  foldHeader,
  mimeParameter,
  unstructuredHeader,
} from './header-encoding.js';

/** A file the user attached (or a forwarded message: type `message/rfc822`). */
export interface OutgoingAttachment {
  readonly name: string;
  /** A MIME type such as `application/pdf`; anything that is not `type/subtype` is sent as octets. */
  readonly type: string;
  readonly bytes: Uint8Array;
}

/** What the user wrote, and the headers that place it: the builder's only input. */
export interface OutgoingMessage {
  readonly from: MailAddress;
  /** Where replies should go (RFC 5322 section 3.6.2), when not to `from`. */
  readonly replyTo?: readonly MailAddress[];
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  /** Envelope only: never written into the message. */
  readonly bcc: readonly MailAddress[];
  readonly subject: string;
  readonly text: string;
  /**
   * A whole HTML document (already sanitized): the message is then multipart/alternative of `text`
   * (its plain-text rendering) and this.
   */
  readonly html?: string;
  readonly attachments: readonly OutgoingAttachment[];
  /** `<id@host>`, from `newMessageId`. */
  readonly messageId: string;
  readonly date: number;
  readonly inReplyTo?: string;
  /** Message-IDs, oldest first (RFC 5322 section 3.6.4). */
  readonly references?: readonly string[];
}

export interface BuiltMessage {
  /** CRLF lines, ready for DATA. */
  readonly bytes: Uint8Array;
  /** Holds bytes above 127 (only a forwarded message/rfc822 can): needs 8BITMIME. */
  readonly eightBit: boolean;
}

const MIME_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/;

interface Part {
  readonly headers: string[];
  readonly body: string | Uint8Array;
  /** Holds bytes above 127 (a forwarded message/rfc822 sent 8bit). */
  readonly eightBit?: boolean;
}

/**
 * The text as sent: what was typed, with a final line break where it has none (a message's last line
 * ends with CRLF, so a single-part body gains one anyway; in every shape the reader gets the same).
 */
export function sentText(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

function textPart(typed: string, subtype: 'plain' | 'html' = 'plain'): Part {
  const text = sentText(typed);
  const encoding = textEncoding(text);
  return {
    headers: [`Content-Type: text/${subtype}; charset=utf-8`, `Content-Transfer-Encoding: ${encoding}`],
    body: encodeText(text, encoding),
  };
}

/** Whether `bytes` may travel as they are: CRLF lines within 998 octets, no NUL, no bare CR or LF. */
function lineSafe(bytes: Uint8Array): { safe: boolean; eightBit: boolean } {
  let eightBit = false;
  let lineLength = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 13) {
      if (bytes[i + 1] !== 10) return { safe: false, eightBit };
      lineLength = 0;
      i++;
      continue;
    }
    if (byte === 10 || byte === 0) return { safe: false, eightBit };
    if (byte > 127) eightBit = true;
    if (++lineLength > composeLimits.maxLineLength) return { safe: false, eightBit };
  }
  return { safe: true, eightBit };
}

function attachmentPart(attachment: OutgoingAttachment): Part & { eightBit: boolean } {
  const type = MIME_TYPE.test(attachment.type) ? attachment.type.toLowerCase() : 'application/octet-stream';
  const name = attachment.name || 'attachment';
  // The Content-Type's `name` as an RFC 2047 word too: older readers (Outlook) look only there.
  const typeName = /^[\x20-\x7e]*$/.test(name)
    ? mimeParameter('name', name)
    : [`name="${encodedWords(name).join(' ')}"`];
  const disposition = foldHeader('Content-Disposition', [
    ...['attachment', ...mimeParameter('filename', name)].map((token, index, all) =>
      index < all.length - 1 ? `${token};` : token,
    ),
  ]);
  const contentType = foldHeader('Content-Type', [
    `${type};`,
    ...typeName.map((p, i, all) => (i < all.length - 1 ? `${p};` : p)),
  ]);
  // RFC 2046 section 5.2.1: a message/rfc822 part is 7bit or 8bit, never base64, where its lines allow.
  if (type === 'message/rfc822') {
    const { safe, eightBit } = lineSafe(attachment.bytes);
    if (safe) {
      return {
        headers: [contentType, `Content-Transfer-Encoding: ${eightBit ? '8bit' : '7bit'}`, disposition],
        body: attachment.bytes,
        eightBit,
      };
    }
  }
  return {
    headers: [contentType, 'Content-Transfer-Encoding: base64', disposition],
    body: base64Lines(attachment.bytes),
    eightBit: false,
  };
}

function randomBoundary(random: () => Uint8Array): string {
  return `=_webpop_${[...random()].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function contains(body: string | Uint8Array, needle: string): boolean {
  if (typeof body === 'string') return body.includes(needle);
  return new TextDecoder('latin1').decode(body).includes(needle);
}

function concat(chunks: ReadonlyArray<string | Uint8Array>): Uint8Array {
  const encoded = chunks.map((chunk) => (typeof chunk === 'string' ? utf8(chunk) : chunk));
  const bytes = new Uint8Array(encoded.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of encoded) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * A multipart body (RFC 2046 section 5.1) of `parts`, its boundary in none of them (a nested
 * multipart's body holds its own boundary, so the two always differ).
 */
function multipart(subtype: 'mixed' | 'alternative', parts: readonly Part[], random: () => Uint8Array): Part {
  let boundary = randomBoundary(random);
  while (parts.some((part) => contains(part.body, boundary))) boundary = randomBoundary(random);
  const chunks: Array<string | Uint8Array> = [];
  for (const part of parts) {
    chunks.push(`--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`, part.body, '\r\n');
  }
  chunks.push(`--${boundary}--\r\n`);
  return {
    headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"`],
    body: concat(chunks),
    eightBit: parts.some((part) => part.eightBit === true),
  };
}

/**
 * The message as RFC 5322 / MIME bytes: one text/plain part; with `html`, multipart/alternative of
 * the text and the HTML; with attachments, multipart/mixed of that and the files. Headers are 7-bit
 * (RFC 2047 words for names and subjects, RFC 2231 for file names); the text and HTML are 7bit or
 * quoted-printable, files base64. `random` gives each boundary's 12 random bytes.
 */
export function buildMessage(message: OutgoingMessage, random: () => Uint8Array): BuiltMessage {
  const headers = [
    `Date: ${rfc5322Date(message.date)}`,
    addressHeader('From', [message.from]),
    ...(message.replyTo && message.replyTo.length > 0 ? [addressHeader('Reply-To', message.replyTo)] : []),
    ...(message.to.length > 0 ? [addressHeader('To', message.to)] : []),
    ...(message.cc.length > 0 ? [addressHeader('Cc', message.cc)] : []),
    unstructuredHeader('Subject', message.subject),
    `Message-ID: ${message.messageId}`,
    ...(message.inReplyTo ? [`In-Reply-To: ${message.inReplyTo}`] : []),
    ...(message.references && message.references.length > 0
      ? [foldHeader('References', message.references)]
      : []),
    'MIME-Version: 1.0',
  ];
  const text = textPart(message.text);
  const alternative =
    message.html === undefined
      ? undefined
      : multipart('alternative', [text, textPart(message.html, 'html')], random);
  const body =
    message.attachments.length === 0
      ? (alternative ?? text)
      : multipart(
          'mixed',
          // No empty text part beside files: readers disagree on what an empty part's text is.
          [
            ...(alternative ? [alternative] : message.text === '' ? [] : [text]),
            ...message.attachments.map(attachmentPart),
          ],
          random,
        );
  return {
    bytes: concat([[...headers, ...body.headers, '', ''].join('\r\n'), body.body]),
    eightBit: body.eightBit === true,
  };
}
