import { describeCriteria, type MessageCriteria } from './criteria.js';
import type { HeaderSummary } from './header-summary.js';

/** A message that arrived while `waitForMessage` waited, as far as its headers tell. */
export interface ArrivedMessage extends HeaderSummary {
  readonly uid: string;
}

export interface WaitTimeoutDetails {
  readonly criteria: MessageCriteria;
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

  constructor(details: WaitTimeoutDetails) {
    super(formatTimeoutMessage(details), { cause: details.lastError });
    this.criteria = details.criteria;
    this.arrived = details.arrived;
    this.timeoutMs = details.timeoutMs;
  }
}

function formatTimeoutMessage(details: WaitTimeoutDetails): string {
  const lines = [
    `waitForMessage: no message (${describeCriteria(details.criteria)}) arrived in ${details.mailbox} ` +
      `within ${details.timeoutMs} ms (${details.polls} ${details.polls === 1 ? 'poll' : 'polls'}).`,
  ];
  const count = details.arrived.length;
  if (count === 0) {
    lines.push('No other message arrived.');
  } else {
    lines.push(`${count} other ${count === 1 ? 'message' : 'messages'} arrived, none matched:`);
    for (const message of details.arrived) lines.push(`  - ${describeArrived(message)}`);
  }
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

function describeArrived(message: ArrivedMessage): string {
  const date = message.date ? message.date.toISOString() : '(no date)';
  return (
    `subject: ${JSON.stringify(message.subject)}, from: ${JSON.stringify(message.from)}, ` +
    `to: ${JSON.stringify(message.to.join(', '))}, date: ${date}`
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
