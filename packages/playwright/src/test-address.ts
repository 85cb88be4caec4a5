import { createHash, randomBytes } from 'node:crypto';
import { MailboxConfigError } from './errors.js';

/** Who a Mailbox serves: the fixture passes the test, so each test's addresses are its own. */
export interface MailboxScope {
  /** Playwright's `testInfo.testId`, with the repeat and retry it runs as. */
  readonly testId?: string;
  readonly repeatEachIndex?: number;
  readonly retry?: number;
}

/** A local part holds at most 64 octets (RFC 5321 §4.5.3.1.1); the tag keeps what is left after the id. */
const maxLocalPart = 64;
const idLength = 10;

/**
 * `local+<id>@domain`, or `local+<tag>-<id>@domain`: `id` is a digest of the test's identity and of
 * a nonce drawn once per Mailbox, so two runs of one test (parallel CI jobs on one mailbox, retries,
 * `--repeat-each`) get different addresses, and every call with the same tag in one test gets the same.
 */
export function plusAddress(base: string, scope: MailboxScope, nonce: string, tag?: string): string {
  const at = base.lastIndexOf('@');
  if (at <= 0 || at === base.length - 1) {
    throw new MailboxConfigError(
      `mailbox.address(): ${JSON.stringify(base)} is not an e-mail address: set use.mailbox.address ` +
        '(or WEBPOP_POP3_ADDRESS) to the address that delivers into this mailbox',
    );
  }
  const local = base.slice(0, at).replace(/\+.*$/, '');
  const domain = base.slice(at + 1);
  const id = createHash('sha256')
    .update(`${scope.testId ?? ''}\0${scope.repeatEachIndex ?? 0}\0${scope.retry ?? 0}\0${nonce}`)
    .digest('hex')
    .slice(0, idLength);
  const cleanTag = (tag ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, Math.max(0, maxLocalPart - local.length - idLength - 2));
  return `${local}+${cleanTag ? `${cleanTag}-` : ''}${id}@${domain}`;
}

export function newAddressNonce(): string {
  return randomBytes(8).toString('hex');
}
