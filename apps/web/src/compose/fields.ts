import { formatAddressList, mailboxesOf, parseAddressList, type MailAddress } from '@webpop/pop3/mail';
import { sanitizeFilename } from '../lib/filename.js';
import type { StoredDraft } from '../mailstore/index.js';
import type { ParsedMessage } from '../mime/types.js';
import { composeLimits } from './limits.js';

/** Plain text (the default) or the formatted editor's HTML. */
export type ComposeFormat = 'plain' | 'html';

/**
 * What the dialog edits: a draft's fields, the address fields the text of their inputs, parsed when
 * sent. In `html` format `html` is the editor's content (sanitized when saved or sent) and `text`
 * is not edited.
 */
export type ComposeFields = Omit<StoredDraft, 'account' | 'id' | 'updatedAt' | 'format' | 'html'> & {
  readonly format: ComposeFormat;
  readonly html: string;
};

/** Who the account writes as (Account settings, Identity: "Your name", "Email address", "Reply-To", "Signature"). */
export interface Identity {
  readonly name: string;
  readonly address: string;
  /** Addresses for the Reply-To header, as typed; empty: none. */
  readonly replyTo: string;
  readonly signature: string;
}

export const emptyFields: ComposeFields = {
  to: '',
  cc: '',
  bcc: '',
  subject: '',
  text: '',
  attachments: [],
  keepCopyOnServer: false,
  inReplyTo: undefined,
  references: [],
  format: 'plain',
  html: '',
};

/** The mailboxes typed in an address field (commas or semicolons between them; groups flattened). */
export function addressesIn(field: string): MailAddress[] {
  return mailboxesOf(parseAddressList(field)).filter((mailbox) => mailbox.address !== '');
}

/** An addr-spec a submission server can take: one `@`, something on both sides, no spaces. */
export function plausibleAddress(address: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(address);
}

/** The text after a signature separator (RFC 3676 section 4.3: "-- " on its own line). */
export function withSignature(text: string, signature: string): string {
  return signature.trim() === '' ? text : `${text}\n\n-- \n${signature.replace(/\s+$/, '')}\n`;
}

/** Every line of `text` quoted with `>` (a quoted line gets another `>` without a space). */
export function quote(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line.startsWith('>') || line === '' ? `>${line}` : `> ${line}`))
    .join('\n');
}

const prefixed = (prefix: string, subject: string) =>
  new RegExp(`^${prefix}\\s*:`, 'i').test(subject.trim()) ? subject.trim() : `${prefix}: ${subject.trim()}`;

function messageIdsIn(value: string | undefined): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? [];
}

function header(message: ParsedMessage, name: string): string | undefined {
  return message.headers.find((entry) => entry.name.toLowerCase() === name)?.value;
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Each address once (the first spelling kept), none of `without`. */
function distinct(mailboxes: readonly MailAddress[], without: readonly string[]): MailAddress[] {
  const seen = new Set(without.map((address) => address.toLowerCase()));
  return mailboxes.filter((mailbox) => {
    const key = mailbox.address.toLowerCase();
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function addressList(mailboxes: readonly MailAddress[]): string {
  return formatAddressList(mailboxes.map((mailbox) => ({ kind: 'mailbox', ...mailbox })));
}

/**
 * A reply's References (RFC 5322 section 3.6.4): the parent's References (or, without them, its
 * In-Reply-To when that names one message), then the parent's Message-ID; each id once. A long chain
 * keeps its first id (the thread's start) and the latest ones, as Thunderbird and mutt trim it.
 */
export function replyReferences(message: ParsedMessage, messageId: string | undefined): string[] {
  const inReplyTo = messageIdsIn(header(message, 'in-reply-to'));
  const parents = messageIdsIn(header(message, 'references'));
  const chain = [
    ...new Set([
      ...(parents.length > 0 ? parents : inReplyTo.length === 1 ? inReplyTo : []),
      ...(messageId ? [messageId] : []),
    ]),
  ];
  const max = composeLimits.maxReferences;
  return chain.length <= max ? chain : [chain[0]!, ...chain.slice(chain.length - (max - 1))];
}

/**
 * A reply: to the Reply-To or the sender (to the original's To when the user wrote it), with `all`
 * also every other To and Cc — each address once, never the user's own —, `Re:` once, the original
 * quoted with `>` under an attribution line, threaded by In-Reply-To and References.
 */
export function replyFields(message: ParsedMessage, all: boolean, me: string, when: string): ComposeFields {
  const sender = message.from ? [message.from] : [];
  // Replying to what the user sent goes to whom it was sent to (a note to self: to the user).
  const fromMe = message.from !== undefined && me !== '' && sameAddress(message.from.address, me);
  const sentTo = fromMe ? distinct(message.to, [me]) : [];
  const author = distinct(
    message.replyTo.length > 0 ? message.replyTo : sentTo.length > 0 ? sentTo : sender,
    [],
  );
  const others = all
    ? distinct([...message.to, ...message.cc], [me, ...author.map((mailbox) => mailbox.address)])
    : [];
  const messageId = message.messageId ? `<${message.messageId.replace(/^<|>$/g, '')}>` : undefined;
  const who = message.from ? addressList([message.from]) : 'someone';
  return {
    ...emptyFields,
    to: addressList(author),
    cc: addressList(others),
    subject: prefixed('Re', message.subject),
    text: `\n\nOn ${when}, ${who} wrote:\n${quote(message.text ?? '')}\n`,
    inReplyTo: messageId,
    references: replyReferences(message, messageId),
  };
}

/**
 * A forward: `Fwd:` once; inline, the original's header lines and text below a separator, with its
 * files attached again; as an attachment, the original's bytes as message/rfc822.
 */
export function forwardFields(message: ParsedMessage, raw: Uint8Array, asAttachment: boolean): ComposeFields {
  const subject = prefixed('Fwd', message.subject);
  if (asAttachment) {
    // A subject is no path: its slashes stay in the name, as `_`.
    const name = `${sanitizeFilename(message.subject.replace(/[\\/]/g, '_'), 'message')}.eml`;
    return { ...emptyFields, subject, attachments: [{ name, type: 'message/rfc822', bytes: raw }] };
  }
  const list = addressList;
  const lines = [
    '',
    '',
    '-------- Forwarded message --------',
    `Subject: ${message.subject}`,
    ...(message.date ? [`Date: ${message.date}`] : []),
    ...(message.from ? [`From: ${list([message.from])}`] : []),
    ...(message.to.length > 0 ? [`To: ${list(message.to)}`] : []),
    ...(message.cc.length > 0 ? [`Cc: ${list(message.cc)}`] : []),
    '',
    message.text ?? '',
  ];
  const attachments = message.attachments
    .filter((attachment) => !attachment.related)
    .map((attachment) => ({
      name: attachment.filename ?? 'attachment',
      type: attachment.mimeType,
      bytes: new Uint8Array(attachment.content),
    }));
  return { ...emptyFields, subject, text: lines.join('\n'), attachments };
}
