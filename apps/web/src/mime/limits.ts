/** Every limit the MIME worker and the reader apply to a message, named in one place. */
export const mimeLimits = {
  /** Nested multiparts deeper than this make a message "too complex" (postal-mime's own default is 256). */
  maxNestingDepth: 100,
  /** Bytes of a TOP reply's header block the message list reads; the rest is cut (and the row says so). */
  maxListHeaderBytes: 64 * 1024,
  /** Header bytes across all parts. */
  maxHeadersBytes: 2 * 1024 * 1024,
  /** More attachments than this make a message "too complex". */
  maxAttachments: 1000,
  /** Text and HTML bodies longer than this many characters are cut here for display (the source stays whole). */
  maxBodyChars: 1_000_000,
  /** Links made in a plain-text body; the rest stays text (each link is an element to render). */
  maxLinks: 2000,
  /**
   * A plain-text body is laid out in blocks of at most this many characters (cut after a newline where
   * one is in the block's second half), each skipped by layout until it nears the viewport. 900 KiB of
   * "a.a.…" as one unbreakable line took 333–610 ms of layout in one task in Chromium; in blocks of
   * 8,192, 8–17 ms (4,096: 9–16 ms; 32,768: 4 ms to insert, but each block 4 times the work to show).
   */
  plainTextBlockChars: 8192,
  /**
   * An HTML body whose open elements nest deeper than this is not rendered ("too complex to show"): the
   * browser's parser and DOMPurify grow quadratic in depth (60,000 nested `<b>` blocked the main thread
   * for over a minute), and real mail nests tables a few dozen deep.
   */
  maxHtmlDepth: 256,
  /**
   * An HTML body with more elements than this is not rendered either: DOMPurify walks every element on
   * the main thread, measured at 10–20 µs each in Chromium (100,000 flat `<div>`: 1.6 s).
   */
  maxHtmlElements: 10_000,
  /**
   * The sanitizer frame says it is ready within this long after it loaded, or the page sanitizes itself
   * (the frame did not load: offline, or a server that does not serve sanitizer.html).
   */
  sanitizerReadyMs: 2_000,
  /**
   * A PDF previews only while its data: URL is at most this long: Chromium blocks a longer data: URL
   * in a frame (measured in Chromium 156: a 1 MiB PDF shows its viewer, a 3 MiB one "about:blank#blocked");
   * a larger PDF downloads instead.
   */
  maxPdfPreviewUrlChars: 2 * 1024 * 1024,
  /** A parse (or a sanitizing in the frame) that takes longer is stopped and its worker or frame replaced. */
  parseTimeoutMs: 30_000,
  /**
   * A message's parse may take this much longer for each whole MiB it has (see parseBudgetMs): parsing
   * is linear in the bytes, and a flat 30 s stopped an ordinary 50 MB plain-text message as "too
   * complex" in Chromium on 2 cores at a load average of 22. 50 MB gets 30 + 50 × 2 = 130 s; a message
   * under 1 MiB (every MIME bomb the limits above catch) keeps the flat 30 s.
   */
  parseTimeoutMsPerMiB: 2_000,
} as const;

/** How long parsing a message of `byteLength` bytes may take: `base`, plus the per-MiB allowance. */
export function parseBudgetMs(byteLength: number, base: number = mimeLimits.parseTimeoutMs): number {
  return base + Math.floor(byteLength / (1024 * 1024)) * mimeLimits.parseTimeoutMsPerMiB;
}

/** A message beyond one of the limits: the reader says "too complex" and shows the source instead. */
export class MimeLimitError extends Error {
  override name = 'MimeLimitError';
}

/** postal-mime's own limit errors, recognised by their words. */
export function isPostalMimeLimit(error: unknown): boolean {
  return error instanceof Error && /^Maximum (?:MIME nesting depth|header size)/.test(error.message);
}
