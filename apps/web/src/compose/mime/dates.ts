const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * RFC 5322 section 3.3 date-time in UTC (`+0000`): the sender's time zone is not the recipients'
 * business, and a browser's offset would tell it.
 */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

/** A Message-ID (RFC 5322 section 3.6.4): 128 random bits at the sender's domain, in angle brackets. */
export function newMessageId(fromAddress: string, random: Uint8Array): string {
  const domain = fromAddress.includes('@') ? fromAddress.slice(fromAddress.lastIndexOf('@') + 1) : 'webpop';
  const id = [...random].map((byte) => byte.toString(36).padStart(2, '0')).join('');
  return `<${id}@${domain.replace(/[^A-Za-z0-9.\-[\]:]/g, '') || 'webpop'}>`;
}
