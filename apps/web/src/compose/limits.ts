/** The composer's limits, in one place. */
export const composeLimits = {
  /** RFC 5322 section 2.1.1: a header line SHOULD stay within 78 characters (folded beyond). */
  foldAt: 78,
  /** RFC 5322 section 2.1.1: no line may exceed 998 characters before its CRLF. */
  maxLineLength: 998,
  /** RFC 2045 section 6.7 and 6.8: encoded lines (quoted-printable, base64) at most 76 characters. */
  encodedLineLength: 76,
  /**
   * RFC 2047 section 2: an encoded word is at most 75 characters. `=?UTF-8?B?` and `?=` take 12, which
   * leaves 63 for base64: 60 characters are 45 bytes (a multiple of 3, so no padding inside a word).
   */
  encodedWordBytes: 45,
  /** RFC 2231 continuation segments: percent-encoded text per `name*N*=` line (about 60 characters). */
  parameterSegmentChars: 60,
  /** A reply's References at most: the thread's first id and the latest ones (fields.ts). */
  maxReferences: 20,
  /** Drafts are written at most this often while the user types (ms). */
  draftSaveDelayMs: 400,
} as const;
