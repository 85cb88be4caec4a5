/** The command's limits, named in one place. */
export const limits = {
  /** How long an mbox delivery waits for another program's dotlock before giving up. */
  dotlockWaitMs: 60_000,
  /** A dotlock older than this is stale (its holder died): procmail's default LOCKTIMEOUT, 1024 s. */
  staleDotlockMs: 1_024_000,
  /** The first pause between tries for a held dotlock; it doubles up to `dotlockMaxPauseMs`. */
  dotlockFirstPauseMs: 50,
  dotlockMaxPauseMs: 1_000,
  /** The longest `fetch --watch` interval: a week (also well inside setTimeout's 2^31 ms). */
  watchMaxMinutes: 10_080,
  /** `show --save-attachments`: how many names (`a.pdf`, `a (2).pdf`, …) are tried before giving up. */
  attachmentNameTries: 1_000,
  /**
   * `show --save-attachments`: an attachment's file name is cut to this many UTF-8 bytes, leaving room
   * under the usual 255-byte name limit for the numbered suffix and the temporary name (about 30 more).
   */
  attachmentNameBytes: 200,
} as const;
