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
  /** --timeout's default, the engine's: 30 s without progress (also the certificate peek's bound). */
  defaultTimeoutMs: 30_000,
  /**
   * A plain connection (starttls, none) that has no greeting after this long is checked for TLS with
   * a second connection: a port that speaks TLS from the first byte (995) waits silently for a
   * ClientHello, so without this the user would wait the whole --timeout for a hint. Servers greet
   * within milliseconds (Dovecot on loopback: under 5 ms); the check decides only on a completed TLS
   * handshake, never on the silence, so a slow plain server is merely asked once more.
   */
  greetingProbeMs: 1_500,
  /** A line read while peeking at a certificate over STLS: RFC 2449's 512 octets with the CRLF. */
  peekLineBytes: 512,
  /** The progress line's rate is measured over the last this many ms (a moving window). */
  progressRateWindowMs: 5_000,
  /** No rate (nor time left) is shown before this many ms of transfer: a guess from 3 ms of data is noise. */
  progressRateAfterMs: 1_000,
} as const;
