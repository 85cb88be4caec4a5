const CR = 0x0d;
const LF = 0x0a;

/** Returns the bytes with every bare LF turned into CRLF (existing CRLF pairs are kept as they are). */
export function toCrlf(bytes: Uint8Array): Uint8Array {
  let bareLineFeeds = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF && (i === 0 || bytes[i - 1] !== CR)) bareLineFeeds++;
  }
  if (bareLineFeeds === 0) return bytes;

  const out = new Uint8Array(bytes.length + bareLineFeeds);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === LF && (i === 0 || bytes[i - 1] !== CR)) out[o++] = CR;
    out[o++] = byte;
  }
  return out;
}
