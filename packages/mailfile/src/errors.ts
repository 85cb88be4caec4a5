/** What went wrong reading or writing a mailbox file. */
export type MailfileErrorKind =
  /** The bytes do not start with a `From ` line, so they are no mbox. */
  | 'not-mbox'
  /** A `From ` line longer than maxFromLineBytes: no writer makes one; reading on would buffer without end. */
  | 'from-line-too-long'
  /** An envelope date that is not a valid Date. */
  | 'invalid-date'
  /** The encoder or decoder was used after end(), or a message was written outside begin()/end(). */
  | 'misuse';

export class MailfileError extends Error {
  override name = 'MailfileError';
  constructor(
    readonly kind: MailfileErrorKind,
    message: string,
  ) {
    super(message);
  }
}
