import type { MailAddress } from '@webpop/pop3/mail';
import type { SearchDocument } from './account-index.js';
import type { StoredMessage } from '../mailstore/index.js';
import type { ParsedMessage } from '../mime/types.js';
import { htmlToText } from './html-text.js';
import { searchLimits } from './limits.js';
import { snippetOf } from './snippet.js';
import { terms } from './text.js';

export type { SearchDocument } from './account-index.js';

function addresses(list: readonly (MailAddress | undefined)[]): string {
  return list
    .filter((entry): entry is MailAddress => entry !== undefined)
    .map((entry) => `${entry.name} ${entry.address}`.trim())
    .join(', ');
}

/** The body text: the plain part, else the HTML part as text. */
export function bodyText(parsed: Pick<ParsedMessage, 'text' | 'html'>): string {
  const text = parsed.text?.trim() ? parsed.text : parsed.html ? htmlToText(parsed.html) : '';
  return text.slice(0, searchLimits.maxBodyChars);
}

/** A message whose bytes are here, parsed. */
export function documentFromParsed(record: StoredMessage, parsed: ParsedMessage): SearchDocument {
  const body = bodyText(parsed);
  const attached = parsed.attachments.filter((part) => !part.related || part.disposition === 'attachment');
  const parsedDate = parsed.date ? Date.parse(parsed.date) : NaN;
  return {
    id: record.uid,
    subject: parsed.subject || record.headers?.subject || '',
    from: addresses([parsed.from ?? record.headers?.from]),
    to: addresses([...parsed.to, ...parsed.cc]),
    body,
    attachments: attached
      .map((part) => part.filename ?? '')
      .filter(Boolean)
      .join(' '),
    date: record.headers?.date ?? (Number.isNaN(parsedDate) ? undefined : parsedDate),
    size: record.size,
    hasAttachment: attached.length > 0,
    headersOnly: false,
    snippet: snippetOf(body),
  };
}

/** A message kept as headers only (or whose bytes would not parse): sender and subject. */
export function documentFromHeaders(record: StoredMessage): SearchDocument {
  return {
    id: record.uid,
    subject: record.headers?.subject ?? '',
    from: addresses([record.headers?.from]),
    to: '',
    body: '',
    attachments: '',
    date: record.headers?.date,
    size: record.size,
    hasAttachment: false,
    headersOnly: true,
    snippet: '',
  };
}

/** What a record's document depends on: when it changes, the message is indexed again. */
export function signatureOf(record: StoredMessage): string {
  return `${record.storedBytes}:${record.headers ? 'headers' : 'none'}`;
}

/** The folded terms of every field in order, kept beside the index to check quoted phrases. */
export function phraseText(document: SearchDocument): string {
  return terms(
    [document.subject, document.from, document.to, document.body, document.attachments].join('\n'),
  ).join(' ');
}

/** Whether `text` (a phraseText) has each phrase's terms one after another (the last one as a prefix). */
export function hasPhrases(text: string, phrases: readonly (readonly string[])[]): boolean {
  const padded = ` ${text}`;
  return phrases.every((phrase) => padded.includes(` ${phrase.join(' ')}`));
}
