import { describeCriteria, type EffectiveCriteria, type MessageCriteria } from './criteria.js';
import type { HeaderSummary } from './header-summary.js';

/** A message that arrived while `waitForMessage` waited, as far as its headers tell. */
export interface ArrivedMessage extends HeaderSummary {
  readonly uid: string;
  /** Its headers matched, and it was retrieved, but its text, HTML or `match` did not. */
  readonly headersMatched: boolean;
}

export interface WaitTimeoutDetails {
  /** `waitForMessage`, `waitForMessages` */
  readonly operation: string;
  readonly criteria: EffectiveCriteria;
  /** How many matching messages were wanted, and how many came. */
  readonly wanted: number;
  readonly foundCount: number;
  readonly timeoutMs: number;
  /** `alice@127.0.0.1:995` */
  readonly mailbox: string;
  /** How many POP3 sessions looked at the mailbox. */
  readonly polls: number;
  /** The messages considered that did not match, oldest first. */
  readonly arrived: readonly ArrivedMessage[];
  /** Messages not considered because they were there when the mailbox was opened. */
  readonly ignoredExisting: number;
  /** Messages not considered because an earlier `waitForMessage` returned them. */
  readonly alreadyReturned: number;
  /** The last failure of a poll that was retried (a dropped connection, a busy mailbox, …). */
  readonly lastError: Error | undefined;
}

/** No matching message within the timeout. The message lists the criteria and what did arrive. */
export class MailboxTimeoutError extends Error {
  override name = 'MailboxTimeoutError';
  readonly criteria: MessageCriteria;
  readonly arrived: readonly ArrivedMessage[];
  readonly timeoutMs: number;
  /** How many matching messages did arrive (`waitForMessages`: fewer than wanted). */
  readonly foundCount: number;

  constructor(details: WaitTimeoutDetails) {
    super(formatTimeoutMessage(details), { cause: details.lastError });
    this.criteria = details.criteria;
    this.arrived = details.arrived;
    this.timeoutMs = details.timeoutMs;
    this.foundCount = details.foundCount;
  }
}

function formatTimeoutMessage(details: WaitTimeoutDetails): string {
  const what = details.wanted === 1 ? 'no message' : `${details.foundCount} of ${details.wanted} messages`;
  const lines = [
    `${details.operation}: ${what} (${describeCriteria(details.criteria)}) arrived in ${details.mailbox} ` +
      `within ${details.timeoutMs} ms (${plural(details.polls, 'poll')}).`,
    ...describeArrivals(details.arrived, 'none matched'),
  ];
  if (details.ignoredExisting > 0) {
    lines.push(
      `Not considered: ${plural(details.ignoredExisting, 'message')} already in the mailbox when it was ` +
        'opened (pass includeExisting: true to consider them).',
    );
  }
  if (details.alreadyReturned > 0) {
    lines.push(
      `Not considered: ${plural(details.alreadyReturned, 'message')} returned by an earlier waitForMessage.`,
    );
  }
  if (details.lastError) lines.push(`Last error while polling: ${details.lastError.message}`);
  return lines.join('\n');
}

/** `2 other messages arrived, none matched:` and one line per message, or `No other message arrived.` */
export function describeArrivals(arrived: readonly ArrivedMessage[], verdict: string): string[] {
  if (arrived.length === 0) return ['No other message arrived.'];
  return [
    `${arrived.length} other ${arrived.length === 1 ? 'message' : 'messages'} arrived, ${verdict}:`,
    ...arrived.map((message) => `  - ${describeArrived(message)}`),
  ];
}

export function describeArrived(
  message: Pick<HeaderSummary, 'subject' | 'from' | 'to' | 'date'> & { readonly headersMatched?: boolean },
): string {
  const date = message.date ? message.date.toISOString() : '(no date)';
  return (
    `subject: ${JSON.stringify(message.subject)}, from: ${JSON.stringify(message.from)}, ` +
    `to: ${JSON.stringify(message.to.join(', '))}, date: ${date}` +
    (message.headersMatched ? ' (its headers matched; its content did not)' : '')
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
