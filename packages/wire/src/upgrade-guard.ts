/**
 * The STARTTLS injection guard both engines use (RFC 3207 section 6 for SMTP, RFC 2595 section 2.2
 * for POP3's STLS): between the server's go-ahead and the end of the TLS handshake, any byte from
 * the server came in plaintext where only TLS may follow, and must be refused, never read as a reply
 * after the upgrade. Feeds `chunk` to the reader unless an upgrade is pending; returns false when
 * the bytes are such an injection (also when the reader refused bytes that followed the go-ahead in
 * the same chunk). Any other error of the reader is thrown as it is.
 */
export function feedUnlessUpgrading(
  chunk: Uint8Array,
  upgrading: () => boolean,
  feed: (chunk: Uint8Array) => void,
): boolean {
  if (upgrading()) return false;
  try {
    feed(chunk);
  } catch (error) {
    if (upgrading()) return false;
    throw error;
  }
  return true;
}
