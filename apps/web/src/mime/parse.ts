import './install-decoder.js';
import PostalMime, { type Address, type Email } from 'postal-mime';
import { decodeEncodedWords } from './encoded-words.js';
import type { MailAddress } from './headers.js';
import type { ParsedAttachment, ParsedMessage } from './types.js';

function flatten(addresses: Address | Address[] | undefined): MailAddress[] {
  if (!addresses) return [];
  const list = Array.isArray(addresses) ? addresses : [addresses];
  const out: MailAddress[] = [];
  for (const entry of list) {
    if (entry.group) out.push(...entry.group.map(({ name, address }) => ({ name, address })));
    else out.push({ name: entry.name, address: entry.address ?? '' });
  }
  return out;
}

function toArrayBuffer(content: ArrayBuffer | Uint8Array | string): ArrayBuffer {
  if (content instanceof ArrayBuffer) return content;
  if (typeof content === 'string') return new TextEncoder().encode(content).buffer as ArrayBuffer;
  return content.slice().buffer as ArrayBuffer;
}

/** Parses a whole message (RETR bytes) with postal-mime. Runs in the MIME worker. */
export async function parseMessage(bytes: Uint8Array | ArrayBuffer): Promise<ParsedMessage> {
  const email: Email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
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
  return {
    subject: (email.subject ?? '').replace(/\s+/g, ' ').trim(),
    from: flatten(email.from)[0],
    to: flatten(email.to),
    cc: flatten(email.cc),
    replyTo: flatten(email.replyTo),
    date: email.date,
    messageId: email.messageId,
    headers: email.headers.map((header) => ({
      name: header.originalKey,
      value: decodeEncodedWords(header.value),
    })),
    text: email.text,
    html: email.html,
    attachments,
  };
}
