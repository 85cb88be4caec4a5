export type LegacyCharset = 'koi8-r' | 'iso-8859-15' | 'windows-1251';

const encoders = new Map<LegacyCharset, Map<string, number>>();

/** Encodes text in a single-byte charset (Node has decoders for these but no encoders). */
export function encodeLegacy(text: string, charset: LegacyCharset): Buffer {
  const table = encoderFor(charset);
  const out = Buffer.alloc(text.length);
  let o = 0;
  for (const char of text) {
    const byte = table.get(char);
    if (byte === undefined) throw new Error(`${JSON.stringify(char)} is not representable in ${charset}`);
    out[o++] = byte;
  }
  return out.subarray(0, o);
}

function encoderFor(charset: LegacyCharset): Map<string, number> {
  let table = encoders.get(charset);
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder(charset);
    for (let byte = 0; byte < 256; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
    encoders.set(charset, table);
  }
  return table;
}
