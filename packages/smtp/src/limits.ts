/** Every limit and default of the SMTP engine, named in one place. */
export const limits = {
  /**
   * Longest reply line accepted, CRLF included. RFC 5321 section 4.5.3.1.5 allows 512 octets; real
   * servers go beyond it in EHLO and in long 5xx explanations, so the reader takes up to 16 KiB and
   * treats anything longer as a protocol error (a server that never sends CRLF cannot fill memory).
   */
  maxReplyLineBytes: 16 * 1024,
  /** Most lines in one multi-line reply (an EHLO answer has about 10-20). */
  maxReplyLines: 1000,
  /** Longest command line we send, CRLF included (RFC 5321 section 4.5.3.1.4). */
  maxCommandLineBytes: 512,
  /**
   * Longest AUTH line with an initial response, CRLF included: RFC 4954 section 4 raises the command
   * line limit to 12,288 octets for AUTH, so a 2 KB OAuth token fits on the AUTH line.
   */
  maxAuthLineBytes: 12_288,
  /** Longest address accepted in MAIL FROM / RCPT TO (RFC 5321 section 4.5.3.1.3: 256 octets path). */
  maxPathBytes: 256,
  /** Recipients in one transaction (RFC 5321 section 4.5.3.1.8 says servers take at least 100). */
  maxRecipients: 100,
  /**
   * Message bytes dot-stuffed and written at a time where the transport sets no `maxSendBytes` (a
   * Node socket); through the bridge a piece is its `maxSendBytes` (64 KiB), and a piece stuffing
   * made longer goes in two sends. 256 KiB against 32 KiB: the engine's CPU for a 35.9 MB message direct to a
   * sink, 41–51 ms against 43–105 (five sends each, alternated, load 25–29 on 2 cores): an eighth of
   * the socket writes, stuffer calls and backpressure looks.
   */
  dataChunkBytes: 256 * 1024,
  /**
   * The RFC 5321 section 4.5.3.2 timeouts, in milliseconds: how long to wait for each reply and, for
   * `dataBlock` (section 4.5.3.2.5), for each piece of the message to be taken by the link (the
   * transport's `drained()`: a server that stops reading mid-message is caught here, not 10 minutes
   * after the final dot).
   */
  timeouts: {
    greeting: 5 * 60_000,
    mail: 5 * 60_000,
    rcpt: 5 * 60_000,
    dataInitiation: 2 * 60_000,
    dataBlock: 3 * 60_000,
    dataTermination: 10 * 60_000,
    /** EHLO, STARTTLS, AUTH, RSET, NOOP, QUIT: the server's own timeout (section 4.5.3.2.7). */
    other: 5 * 60_000,
  },
} as const;

export type TimeoutName = keyof typeof limits.timeouts;
export type Timeouts = { readonly [name in TimeoutName]: number };
