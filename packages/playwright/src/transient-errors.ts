import { isRetryable, Pop3Error, Pop3ServerError } from '@webpop/pop3';

/**
 * Whether a failed poll is worth repeating: the connection dropped or timed out, or the server said
 * the mailbox is busy. Wrong credentials, TLS and security refusals are not: they fail at once.
 */
export function isTransientPop3Error(error: unknown): error is Error {
  if (error instanceof Pop3ServerError) return isRetryable(error.code);
  return error instanceof Pop3Error && (error.kind === 'closed' || error.kind === 'timeout');
}
