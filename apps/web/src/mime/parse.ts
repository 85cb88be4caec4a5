import './install-decoder.js';
import PostalMime, { type Address, type Email } from 'postal-mime';
import { displayName } from '../lib/display-name.js';
import { htmlTooComplex } from './html-complexity.js';
import { linkify } from './linkify.js';
import { decodeEncodedWords, type MailAddress } from '@webpop/pop3/mail';
import { isPostalMimeLimit, MimeLimitError, mimeLimits } from './limits.js';
import type { ParsedAttachment, ParsedMessage } from './types.js';

function flatten(addresses: Address | Address[] | undefined): MailAddress[] {
  if (!addresses) return [];
  const list = Array.isArray(addresses) ? addresses : [addresses];
  const out: MailAddress[] = [];
  for (const entry of list) {
    if (entry.group) out.push(...entry.group.map(({ name, address }) => shown(name, address)));
    else out.push(shown(entry.name, entry.address ?? ''));
  }
  return out;
}

function shown(name: string, address: string): MailAddress {
  return { name: displayName(name), address: displayName(address) };
}

/** Header values in the headers view are longer than list values, but bounded too. */
const MAX_HEADER_VALUE_CHARS = 10_000;

function toArrayBuffer(content: ArrayBuffer | Uint8Array | string): ArrayBuffer {
  if (content instanceof ArrayBuffer) return content;
  if (typeof content === 'string') return new TextEncoder().encode(content).buffer as ArrayBuffer;
  return content.slice().buffer as ArrayBuffer;
}

/**
 * Parses a whole message (RETR bytes) with postal-mime, within mimeLimits: deeper nesting, more
 * header bytes or more attachments fail with MimeLimitError; longer bodies are cut. Runs in the MIME
 * worker.
 */
export async function parseMessage(bytes: Uint8Array | ArrayBuffer): Promise<ParsedMessage> {
  let email: Email;
  try {
    email = await PostalMime.parse(bytes, {
      attachmentEncoding: 'arraybuffer',
      maxNestingDepth: mimeLimits.maxNestingDepth,
      maxHeadersSize: mimeLimits.maxHeadersBytes,
    });
  } catch (error) {
    if (isPostalMimeLimit(error)) throw new MimeLimitError((error as Error).message);
    throw error;
  }
  if (email.attachments.length > mimeLimits.maxAttachments) {
    throw new MimeLimitError(
      `${email.attachments.length} attachments (more than ${mimeLimits.maxAttachments})`,
    );
  }
  const longest = Math.max(email.text?.length ?? 0, email.html?.length ?? 0);
  const cut = (body: string | undefined) => body?.slice(0, mimeLimits.maxBodyChars);
  const attachments: ParsedAttachment[] = email.attachments.map((attachment) => {
    const content = toArrayBuffer(attachment.content);
    return {
      filename: attachment.filename,
      mimeType: attachment.mimeType,
      disposition: attachment.disposition,
      contentId: attachment.contentId?.replace(/^<|>$/g, '').trim() || undefined,
      related: attachment.related === true,
      size: content.byteLength,
      content,
    };
  });
  const html = cut(email.html);
  const tooComplex = html === undefined ? undefined : htmlTooComplex(html);
  return {
    subject: displayName(email.subject ?? ''),
    from: flatten(email.from)[0],
    to: flatten(email.to),
    cc: flatten(email.cc),
    replyTo: flatten(email.replyTo),
    date: email.date,
    messageId: email.messageId,
    headers: email.headers.map((header) => ({
      name: displayName(header.originalKey, 200),
      value: displayName(decodeEncodedWords(header.value), MAX_HEADER_VALUE_CHARS),
    })),
    text: cut(email.text),
    textSegments: linkify(cut(email.text) ?? ''),
    html: tooComplex ? undefined : html,
    ...(tooComplex ? { htmlTooComplex: tooComplex } : {}),
    attachments,
    ...(longest > mimeLimits.maxBodyChars
      ? { truncated: { shown: mimeLimits.maxBodyChars, total: longest } }
      : {}),
  };
}
