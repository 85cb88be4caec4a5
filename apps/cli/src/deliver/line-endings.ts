/**
 * The message with CRLF line ends made LF, as local mail files and MDAs expect (a POP3 server sends
 * CRLF; mutt, procmail and dovecot-lda read LF). A lone CR is kept.
 */
export function toLf(bytes: Uint8Array): Uint8Array {
  let crlf = 0;
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) crlf++;
  if (crlf === 0) return bytes;
  const out = new Uint8Array(bytes.length - crlf);
  let at = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) continue;
    out[at++] = bytes[i]!;
  }
  return out;
}
