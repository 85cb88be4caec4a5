import { formatAddressList, formatMailbox, parseAddressList, type MailAddress } from '@webpop/pop3';
import type { HeaderSummary } from './header-summary.js';
import type { ReceivedMessage } from './received-message.js';
import { describePattern, matchesText, type TextPattern } from './text-pattern.js';

/** What can be told from the headers alone (`TOP n 0`): cheap to check on every new message. */
export interface HeaderCriteria {
  /**
   * Matches a To or Cc recipient: a string as a case-insensitive substring of `Name <address>` (as the
   * engine formats it, so `"New User" <a@x>` and `New User <a@x>` are the same) or of the bare address;
   * a RegExp against either. In the fixture, after `mailbox.address()`, it defaults to this test's
   * addresses; `null` accepts any recipient.
   */
  readonly to?: TextPattern | null;
  /** Matches a From mailbox, like `to`. */
  readonly from?: TextPattern;
  readonly subject?: TextPattern;
  /**
   * Ignore messages whose Date header is older than this (compared to the second, since Date headers
   * have no milliseconds). Messages without a readable Date header are not ignored.
   */
  readonly since?: Date;
}

/**
 * What needs the whole message (RETR): checked only on messages whose headers already match, once per
 * message and wait.
 */
export interface ContentCriteria {
  /** Matches the text part (for HTML-only mail, its text rendering). */
  readonly text?: TextPattern;
  /** Matches the HTML source; a message without HTML never matches. */
  readonly html?: TextPattern;
  /** Any other test on the parsed message. */
  readonly match?: (message: ReceivedMessage) => boolean;
}

/** What `waitForMessage` looks for; every criterion given must hold. */
export interface MessageCriteria extends HeaderCriteria, ContentCriteria {}

/** The criteria as the mailbox applies them: `to` resolved, this test's addresses made explicit. */
export interface EffectiveCriteria extends MessageCriteria {
  /** The recipient must be one of these addresses (compared case-insensitively). */
  readonly recipientIn?: readonly string[];
}

export function matchesHeaders(summary: HeaderSummary, criteria: EffectiveCriteria): boolean {
  if (criteria.subject !== undefined && !matchesText(summary.subject, criteria.subject)) return false;
  if (criteria.from !== undefined && !matchesAddress(summary.senders, criteria.from)) return false;
  const to = criteria.to;
  if (to !== undefined && to !== null && !matchesAddress(summary.recipients, to)) return false;
  const own = criteria.recipientIn?.map((address) => address.toLowerCase());
  if (own && !summary.recipients.some((mailbox) => own.includes(mailbox.address.toLowerCase()))) {
    return false;
  }
  if (criteria.since !== undefined && summary.date !== undefined) {
    const sinceSecond = Math.floor(criteria.since.getTime() / 1000) * 1000;
    if (summary.date.getTime() < sinceSecond) return false;
  }
  return true;
}

export function hasContentCriteria(criteria: ContentCriteria): boolean {
  return criteria.text !== undefined || criteria.html !== undefined || criteria.match !== undefined;
}

export function matchesContent(message: ReceivedMessage, criteria: ContentCriteria): boolean {
  if (criteria.text !== undefined && !matchesText(message.text, criteria.text)) return false;
  if (
    criteria.html !== undefined &&
    !(message.html !== undefined && matchesText(message.html, criteria.html))
  ) {
    return false;
  }
  return criteria.match === undefined || criteria.match(message);
}

/** A mailbox matches when its `Name <address>` text or its bare address does. */
function matchesAddress(mailboxes: readonly MailAddress[], pattern: TextPattern): boolean {
  const wanted = typeof pattern === 'string' ? canonicalMailbox(pattern) : pattern;
  return mailboxes.some(
    (mailbox) => matchesText(formatMailbox(mailbox), wanted) || matchesText(mailbox.address, wanted),
  );
}

/** A criterion that is a whole mailbox (`"New User" <a@x>`) in the engine's formatting; fragments as they are. */
function canonicalMailbox(pattern: string): string {
  const trimmed = pattern.trim();
  if (!trimmed.includes('<') || !trimmed.endsWith('>')) return pattern;
  const parsed = parseAddressList(trimmed);
  return parsed.length === 1 ? formatAddressList(parsed) : pattern;
}

/** `to containing "bob@" and subject matching /code/i`, or `any message`. */
export function describeCriteria(criteria: EffectiveCriteria): string {
  const parts: string[] = [];
  if (criteria.to !== undefined && criteria.to !== null) parts.push(`to ${describePattern(criteria.to)}`);
  if (criteria.recipientIn !== undefined) {
    parts.push(`to ${criteria.recipientIn.length === 1 ? '' : 'one of '}${criteria.recipientIn.join(', ')}`);
  }
  if (criteria.from !== undefined) parts.push(`from ${describePattern(criteria.from)}`);
  if (criteria.subject !== undefined) parts.push(`subject ${describePattern(criteria.subject)}`);
  if (criteria.since !== undefined) parts.push(`dated ${criteria.since.toISOString()} or later`);
  if (criteria.text !== undefined) parts.push(`text ${describePattern(criteria.text)}`);
  if (criteria.html !== undefined) parts.push(`html ${describePattern(criteria.html)}`);
  if (criteria.match !== undefined) parts.push(`passing ${criteria.match.name || 'the match function'}`);
  return parts.length > 0 ? parts.join(' and ') : 'any message';
}
