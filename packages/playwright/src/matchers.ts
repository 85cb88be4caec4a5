import { expect as baseExpect, type ExpectMatcherState, type MatcherReturnType } from '@playwright/test';
import { Mailbox, type WaitForMessageOptions } from './mailbox.js';
import { ReceivedMessage } from './received-message.js';
import { describePattern, type TextPattern } from './text-pattern.js';
import { MailboxTimeoutError } from './timeout-error.js';
import { UnexpectedMessageError } from './unexpected-message-error.js';

/**
 * `await expect(mailbox).toReceive({ subject: /confirm/i })`: waits like Playwright's web-first
 * assertions, up to the expect timeout (or `timeout`), for a message matching the criteria; with
 * `.not`, passes when none arrives within that time (`expectNoMessage`). The message received goes
 * into `mailbox.received` like any other.
 */
async function toReceive(
  this: ExpectMatcherState,
  mailbox: Mailbox,
  criteria: WaitForMessageOptions = {},
): Promise<MatcherReturnType> {
  assertReceiver(this, 'toReceive', mailbox instanceof Mailbox, 'a Mailbox (the mailbox fixture)', mailbox);
  const hint = this.utils.matcherHint('toReceive', 'mailbox', 'criteria', { isNot: this.isNot });
  const timeout = criteria.timeout ?? this.timeout;
  if (this.isNot) {
    const { timeout: _ignored, ...rest } = criteria;
    try {
      await mailbox.expectNoMessage(rest, { within: timeout, pollInterval: criteria.pollInterval });
    } catch (error) {
      if (!(error instanceof UnexpectedMessageError)) throw error;
      return { name: 'toReceive', pass: true, message: () => `${hint}\n\n${error.message}` };
    }
    return { name: 'toReceive', pass: false, message: () => `${hint}\n\nNo matching message arrived.` };
  }
  try {
    const message = await mailbox.waitForMessage({ ...criteria, timeout });
    return {
      name: 'toReceive',
      pass: true,
      message: () => `${hint}\n\nReceived: ${JSON.stringify(message.subject)} from ${message.from}`,
    };
  } catch (error) {
    if (!(error instanceof MailboxTimeoutError)) throw error;
    return { name: 'toReceive', pass: false, message: () => `${hint}\n\n${error.message}` };
  }
}

/** `expect(message).toHaveLink(/confirm/)`: a link whose URL or text matches (see `message.links`). */
function toHaveLink(
  this: ExpectMatcherState,
  message: ReceivedMessage,
  pattern: TextPattern,
): MatcherReturnType {
  assertReceiver(this, 'toHaveLink', message instanceof ReceivedMessage, 'a ReceivedMessage', message);
  const found = message.links(pattern);
  const hint = this.utils.matcherHint('toHaveLink', 'message', 'pattern', { isNot: this.isNot });
  const all = message.links();
  return {
    name: 'toHaveLink',
    pass: found.length > 0,
    expected: pattern,
    actual: all,
    message: () =>
      `${hint}\n\nExpected: ${this.isNot ? 'no ' : ''}link ${describePattern(pattern)} (URL or text)\n` +
      `Links of ${JSON.stringify(message.subject)}:\n` +
      (all.length > 0 ? all.map((link) => `  - ${link}`).join('\n') : '  (none)'),
  };
}

/** `expect(message).toHaveCode('482913')` or `toHaveCode(/^[A-Z0-9]{6}$/)`: one of `codes()` is it. */
function toHaveCode(
  this: ExpectMatcherState,
  message: ReceivedMessage,
  expected: TextPattern,
): MatcherReturnType {
  assertReceiver(this, 'toHaveCode', message instanceof ReceivedMessage, 'a ReceivedMessage', message);
  const codes = message.codes();
  const pass = codes.some((code) => (typeof expected === 'string' ? code === expected : expected.test(code)));
  const hint = this.utils.matcherHint('toHaveCode', 'message', 'code', { isNot: this.isNot });
  return {
    name: 'toHaveCode',
    pass,
    expected,
    actual: codes,
    message: () =>
      `${hint}\n\nExpected: ${this.isNot ? 'no ' : ''}code ${this.utils.printExpected(expected)}\n` +
      `Codes in ${JSON.stringify(message.subject)}: ${this.utils.printReceived(codes)}`,
  };
}

function assertReceiver(
  state: ExpectMatcherState,
  name: string,
  ok: boolean,
  what: string,
  value: unknown,
): void {
  if (ok) return;
  throw new TypeError(
    `${state.utils.matcherHint(name, 'received', '')}\n\nexpect(…) must be given ${what}, not ${state.utils.printReceived(value)}`,
  );
}

/** Playwright's `expect` with `toReceive`, `toHaveLink` and `toHaveCode`. */
export const expect = baseExpect.extend({ toReceive, toHaveLink, toHaveCode });
