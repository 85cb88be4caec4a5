import { Pop3Error, Pop3ServerError } from '@webpop/pop3';

/** Server response codes after which trying again a little later may work. */
const retryableCodes = new Set(['IN-USE', 'SYS/TEMP', 'LOGIN-DELAY']);

/**
 * Whether a failed poll is worth repeating: the connection dropped or timed out, or the server said
 * the mailbox is busy. Wrong credentials, TLS and security refusals are not: they fail at once.
 */
export function isTransientPop3Error(error: unknown): error is Error {
  if (error instanceof Pop3ServerError) return error.code !== undefined && retryableCodes.has(error.code);
  return error instanceof Pop3Error && (error.kind === 'closed' || error.kind === 'timeout');
}
