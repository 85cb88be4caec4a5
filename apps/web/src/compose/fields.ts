import { formatAddressList, mailboxesOf, parseAddressList, type MailAddress } from '@webpop/pop3/mail';
import type { DraftAttachment } from '../mailstore/index.js';
import type { ParsedMessage } from '../mime/types.js';

/** What the dialog edits: the address fields are the text of their inputs, parsed when sent. */
export interface ComposeFields {
  readonly to: string;
  readonly cc: string;
  readonly bcc: string;
  readonly subject: string;
  readonly text: string;
  readonly attachments: readonly DraftAttachment[];
  /** Bcc the account's own address, so the server's mailbox gets a copy (POP3 has no Sent). */
  readonly keepCopyOnServer: boolean;
  readonly inReplyTo: string | undefined;
  readonly references: readonly string[];
}

/** Who the account writes as (Account settings: "Your name", "Email address", "Signature"). */
export interface Identity {
  readonly name: string;
  readonly address: string;
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

/**
 * A reply: to the Reply-To or the sender (with `all`, also every other To and Cc, never the user),
 * `Re:` once, the original quoted with `>` under an attribution line, threaded by In-Reply-To and
 * References (the original's References, then its Message-ID: RFC 5322 section 3.6.4).
 */
export function replyFields(message: ParsedMessage, all: boolean, me: string, when: string): ComposeFields {
  const author = message.replyTo.length > 0 ? message.replyTo : message.from ? [message.from] : [];
  const others = all
    ? [...message.to, ...message.cc].filter(
        (mailbox) =>
          !sameAddress(mailbox.address, me) && !author.some((a) => sameAddress(a.address, mailbox.address)),
      )
    : [];
  const messageId = message.messageId ? `<${message.messageId.replace(/^<|>$/g, '')}>` : undefined;
  const references = [...messageIdsIn(header(message, 'references')), ...(messageId ? [messageId] : [])];
  const who = message.from ? formatAddressList([{ kind: 'mailbox', ...message.from }]) : 'someone';
  return {
    ...emptyFields,
    to: formatAddressList(author.map((mailbox) => ({ kind: 'mailbox', ...mailbox }))),
    cc: formatAddressList(others.map((mailbox) => ({ kind: 'mailbox', ...mailbox }))),
    subject: prefixed('Re', message.subject),
    text: `\n\nOn ${when}, ${who} wrote:\n${quote(message.text ?? '')}\n`,
    inReplyTo: messageId,
    references,
  };
}

/**
 * A forward: `Fwd:` once; inline, the original's header lines and text below a separator, with its
 * files attached again; as an attachment, the original's bytes as message/rfc822.
 */
export function forwardFields(message: ParsedMessage, raw: Uint8Array, asAttachment: boolean): ComposeFields {
  const subject = prefixed('Fwd', message.subject);
  if (asAttachment) {
    const name = `${message.subject.trim() || 'message'}.eml`;
    return { ...emptyFields, subject, attachments: [{ name, type: 'message/rfc822', bytes: raw }] };
  }
  const list = (mailboxes: readonly MailAddress[]) =>
    formatAddressList(mailboxes.map((mailbox) => ({ kind: 'mailbox', ...mailbox })));
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
