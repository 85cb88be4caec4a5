/**
 * Text decoding for mail: bytes stay bytes until a TextDecoder with the declared charset decodes them;
 * when that charset is unknown or the bytes are not valid in it, strict UTF-8; when that fails too,
 * windows-1252 (which maps every byte, so decoding always succeeds).
 */

const NativeTextDecoder = globalThis.TextDecoder;

/** Labels mailers use that the WHATWG Encoding Standard spells differently. */
const aliases: Readonly<Record<string, string>> = {
  utf8: 'utf-8',
  'x-unknown': 'windows-1252',
  'unknown-8bit': 'windows-1252',
  // ASCII is a subset of UTF-8: 8-bit bytes under an ASCII label are far more often UTF-8 than not.
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  'ansi_x3.4-1968': 'utf-8',
  cp1251: 'windows-1251',
  cp1252: 'windows-1252',
  cp866: 'ibm866',
  koi8r: 'koi8-r',
  koi8u: 'koi8-u',
  latin1: 'iso-8859-1',
  latin9: 'iso-8859-15',
  'ks_c_5601-1987': 'euc-kr',
};

/** The WHATWG name of a charset label, or undefined when this runtime cannot decode it. */
export function normalizeCharset(label: string | null | undefined): string | undefined {
  if (!label) return undefined;
  let name = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  name = aliases[name] ?? name;
  try {
    return new NativeTextDecoder(name).encoding;
  } catch {
    const windows = /^(?:cp|ms|x-cp)[-_]?(\d{3,4})$/.exec(name);
    if (windows) return normalizeCharset(`windows-${windows[1]}`);
    return undefined;
  }
}

/** windows-1252 at 0x80–0x9F (WHATWG); the five unassigned bytes map to the C1 controls. */
const cp1252High = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

/**
 * windows-1252, decoded here rather than by the runtime: some runtimes (Node's fast Latin-1 path among
 * them) decode the label as ISO-8859-1 and turn 0x80–0x9F (€, curly quotes, dashes) into C1 controls.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let start = 0; start < bytes.length; start += 0x4000) {
    const chunk = bytes.subarray(start, start + 0x4000);
    const codes = new Array<number>(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      codes[i] = byte >= 0x80 && byte < 0xa0 ? cp1252High[byte - 0x80]! : byte;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

function tryDecode(bytes: Uint8Array, encoding: string, ignoreBOM: boolean): string | undefined {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  try {
    return new NativeTextDecoder(encoding, { fatal: true, ignoreBOM }).decode(bytes);
  } catch {
    return undefined;
  }
}

export interface DecodedText {
  readonly text: string;
  /** The encoding that decoded the bytes. */
  readonly encoding: string;
  /** True when the declared charset was missing, unknown or wrong and a fallback decoded the bytes. */
  readonly fellBack: boolean;
}

/** Decodes with the declared charset, then strict UTF-8, then windows-1252. */
export function decodeTextDetailed(
  bytes: Uint8Array,
  declared?: string | null,
  options: { ignoreBOM?: boolean } = {},
): DecodedText {
  const ignoreBOM = options.ignoreBOM ?? false;
  const encoding = normalizeCharset(declared);
  if (encoding) {
    const text = tryDecode(bytes, encoding, ignoreBOM);
    if (text !== undefined) return { text, encoding, fellBack: false };
  }
  const utf8 = tryDecode(bytes, 'utf-8', ignoreBOM);
  if (utf8 !== undefined)
    return { text: utf8, encoding: 'utf-8', fellBack: encoding !== 'utf-8' && !!declared };
  return { text: decodeWindows1252(bytes), encoding: 'windows-1252', fellBack: true };
}

export function decodeText(bytes: Uint8Array, declared?: string | null): string {
  return decodeTextDetailed(bytes, declared).text;
}
