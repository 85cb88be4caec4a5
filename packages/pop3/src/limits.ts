/** Every limit and default of the engine, named in one place. */
export const limits = {
  /** Longest status line accepted (curl uses the same bound); longer is a protocol error. */
  maxStatusLineBytes: 64 * 1024,
  /**
   * Commands in flight at once when the server advertises PIPELINING. Each round trip delivers at most a
   * window of replies, so 1,000 headers over a 50 ms link take 10 round trips with a window of 100 and
   * one with 1,000 (see BENCHMARKS.md). The engine never blocks on writing, so a large window cannot
   * deadlock. It is also the most a command waits behind: `fetchEach` hands the queue no more than a
   * window at a time, and an urgent command (a RETR the user clicked) goes ahead of everything not yet
   * sent, so it is answered after at most one window of replies, however long the listing.
   */
  pipelineWindow: 1000,
  /** Longest command line we send with a SASL initial response, CRLF included (RFC 5034, section 4). */
  maxAuthLineBytes: 255,
  /** Longest command line a console sends, CRLF included (RFC 2449, section 4: 255 octets). */
  maxCommandLineBytes: 255,
  /** Body lines a console command's reply shows (a LIST of 10,000 messages should not flood a log). */
  consoleBodyLines: 500,
  /** A RETR typed in a console shows its size and this many first lines, not the whole message. */
  consoleRetrLines: 20,
  /** Body bytes a console command keeps (enough for `consoleBodyLines` of 128 octets). */
  consoleKeepBytes: 64 * 1024,
  /**
   * Bytes of each `TOP` reply `fetchEach` keeps (unless told otherwise): the rest is read and counted,
   * not held, so a header block of a megabyte is never concatenated nor handed to the caller (a 1 MiB
   * folded `From:` was read whole on the web app's main thread before the list cut it).
   */
  fetchEachTopKeepBytes: 64 * 1024,
  /**
   * Bytes the Node transport may hold unsent before `drained()` makes a streaming writer wait (its
   * socket buffer, counted by the writes' callbacks; the WebSocket transport's marks are below).
   * 256 KiB is one of the SMTP engine's direct pieces: enough to keep a loopback or LAN link busy,
   * small enough that a stalled link holds no more than that beside the piece being written.
   */
  sendBufferBytes: 256 * 1024,
  /** How often the WebSocket transport looks at `bufferedAmount` while a writer waits (it has no event). */
  sendBufferPollMs: 10,
  /**
   * The WebSocket transport's marks: a writer waits once `bufferedAmount` is over the first and goes
   * on when it is down to the second. With one mark, each poll let a single 32 KiB piece through (at
   * most 3 MB/s at a 10 ms poll, less when timers run late: a 25 MB attachment through the bridge
   * went at 4.7 MB/s under load); with these, 768 KiB pass per poll and the poll is not the limit.
   */
  webSocketSendBufferBytes: 1024 * 1024,
  webSocketResumeBytes: 256 * 1024,
  /** The largest binary message the bridge takes by default (its `limits.maxFrameBytes`): the WebSocket transport's `maxSendBytes`. */
  webSocketMaxSendBytes: 64 * 1024,
  /**
   * TLS secure contexts the Node transport keeps, one per distinct set of extra CAs (each holds
   * Node's ~140 bundled roots beside them, parsed once: see `node/secure-context.ts`). A process
   * talks to a handful of servers; past this many sets the least recently used is dropped.
   */
  secureContextCacheSize: 32,
  /** Default: a reply that makes no progress for this long is a timeout. */
  commandTimeoutMs: 30_000,
} as const;
