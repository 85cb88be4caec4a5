import { quoteString, type AddressListEntry, type MailAddress } from './address-list.js';

/**
 * RFC 5322 text for addresses: a display name is quoted only where it needs it, i.e. when it is not
 * a sequence of atoms separated by single spaces (atext of §3.2.3, plus UTF-8 beyond ASCII as RFC
 * 6532 §3.2 allows). `Carol Example` stays as it is; `Doe, Jane` and `John Q. Public` are quoted.
 */

/** atext: letters, digits and ``!#$%&'*+-/=?^_`{|}~``, and any non-ASCII character (RFC 6532). */
const ATOMS =
  /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+(?: [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+)*$/u;

/** A display name as an RFC 5322 phrase: as it is when it is atoms, else a quoted string. */
export function formatPhrase(name: string): string {
  return ATOMS.test(name) ? name : quoteString(name);
}

/** `Name <address>` (the name quoted where it must be), or the bare address when there is no name. */
export function formatMailbox(mailbox: MailAddress): string {
  if (!mailbox.name) return mailbox.address || '<>';
  return `${formatPhrase(mailbox.name)} <${mailbox.address}>`;
}

/** An address list as RFC 5322 text: mailboxes and groups separated by `, `. */
export function formatAddressList(entries: readonly AddressListEntry[]): string {
  return entries
    .map((entry) =>
      entry.kind === 'group'
        ? `${formatPhrase(entry.name)}:${entry.members.length > 0 ? ' ' : ''}${entry.members.map(formatMailbox).join(', ')};`
        : formatMailbox(entry),
    )
    .join(', ');
}
