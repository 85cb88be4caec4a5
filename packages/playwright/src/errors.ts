/** The mailbox is not configured well enough to connect: says what is missing and where to set it. */
export class MailboxConfigError extends Error {
  override name = 'MailboxConfigError';
}

/** A received message lacks what a test asked of it (`code()`, `link()`): the message shows what it has. */
export class MessageContentError extends Error {
  override name = 'MessageContentError';
}

/** A `waitForMessage` stopped early: the test ended (or `cancelPendingWaits` was called) while it waited. */
export class MailboxCancelledError extends Error {
  override name = 'MailboxCancelledError';
  constructor() {
    super('waitForMessage was cancelled: the test ended while it was waiting');
  }
}
