import { describeCriteria, type EffectiveCriteria, type MessageCriteria } from './criteria.js';
import type { ReceivedMessage } from './received-message.js';
import { describeArrivals, describeArrived, type ArrivedMessage } from './timeout-error.js';

export interface UnexpectedMessageDetails {
  readonly criteria: EffectiveCriteria;
  readonly withinMs: number;
  /** `alice@127.0.0.1:995` */
  readonly mailbox: string;
  readonly message: ReceivedMessage;
  /** The other messages that arrived in the window and did not match. */
  readonly arrived: readonly ArrivedMessage[];
}

/** `expectNoMessage` saw a message that matches. The error shows it, and what else arrived. */
export class UnexpectedMessageError extends Error {
  override name = 'UnexpectedMessageError';
  readonly criteria: MessageCriteria;
  /** The message that should not have come (the fixture's cleanup deletes it like any received one). */
  readonly received: ReceivedMessage;
  readonly arrived: readonly ArrivedMessage[];

  constructor(details: UnexpectedMessageDetails) {
    super(
      [
        `expectNoMessage: a message (${describeCriteria(details.criteria)}) arrived in ${details.mailbox} ` +
          `within ${details.withinMs} ms:`,
        `  - ${describeArrived({ ...details.message, to: [details.message.to] })}`,
        ...describeArrivals(details.arrived, 'not matching'),
      ].join('\n'),
    );
    this.criteria = details.criteria;
    this.received = details.message;
    this.arrived = details.arrived;
  }
}
