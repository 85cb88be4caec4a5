/** Every limit and default of the engine, named in one place. */
export const limits = {
  /** Longest status line accepted (curl uses the same bound); longer is a protocol error. */
  maxStatusLineBytes: 64 * 1024,
  /** Commands in flight at once when the server advertises PIPELINING (mpop uses a window like this). */
  pipelineWindow: 100,
  /** Longest command line we send with a SASL initial response, CRLF included (RFC 5034, section 4). */
  maxAuthLineBytes: 255,
  /** Default: a reply that makes no progress for this long is a timeout. */
  commandTimeoutMs: 30_000,
} as const;
