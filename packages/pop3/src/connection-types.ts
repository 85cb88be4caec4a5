import type { ReplyKind } from './protocol/reply-reader.js';
import type { Pop3Phase } from './errors.js';
import type { StatusLine } from './protocol/status-line.js';

/** One line of the POP3 dialogue, for a protocol log. Secrets are already redacted. */
export interface LogEntry {
  readonly direction: 'client' | 'server';
  readonly text: string;
}

export interface ConnectionOptions {
  /** A reply that makes no progress for this long fails with Pop3TimeoutError and closes the link. */
  timeoutMs?: number;
  /** Receives the dialogue line by line, secrets redacted. */
  onLog?: (entry: LogEntry) => void;
}

export interface CommandSpec {
  /** The line to send, without CRLF; undefined for the greeting, which answers no command. */
  readonly line: string | undefined;
  /** The command's name in errors and logs (`RETR 3`, `PASS`, `AUTH PLAIN`). */
  readonly name: string;
  /** What the protocol log shows for the line; defaults to the line. Secrets never reach it. */
  readonly logText?: string;
  readonly kind: ReplyKind;
  /** Nothing else is sent until this command's reply arrives (login, STLS, QUIT). */
  readonly barrier?: boolean;
  /**
   * A line of the login. `last`: the line whose `+OK` ends it (PASS, APOP, CRAM-MD5's response); with
   * PIPELINING the commands held for after the login leave in the same write (see `holdUntilLoggedIn`).
   */
  readonly loginStep?: 'step' | 'last';
  /**
   * The interactive lane: goes before every queued command that is not urgent, never before a barrier
   * queued earlier (a RETR a user clicked does not wait behind a listing's TOPs that are not yet sent).
   */
  readonly urgent?: boolean;
  /** For a multi-line reply: log its body lines (CAPA, LIST, UIDL) instead of a byte count. */
  readonly logBody?: boolean;
  /** With `logBody`: log at most this many body lines, then how much more there was. */
  readonly logLines?: number;
  /** Keep at most this many body bytes in the reply (the rest is counted, not held: a console's RETR). */
  readonly keepBytes?: number;
  readonly signal?: AbortSignal;
  /** Body bytes received so far, as they arrive. */
  readonly onProgress?: (receivedBytes: number) => void;
}

export interface Reply {
  readonly status: StatusLine;
  /** The dot-unstuffed body of a multi-line `+OK` reply (its first `keepBytes`); empty otherwise. */
  readonly body: Uint8Array;
  /** Body bytes the server sent, whether kept or not. */
  readonly bodyBytes: number;
  /** A body followed the status line (for `detect`: what the reader found). */
  readonly multiLine: boolean;
}

/** A command in the pipe (internal to the connection). */
export interface PendingCommand {
  readonly spec: CommandSpec;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
  chunks: Uint8Array[];
  received: number;
  kept: number;
  multiLine: boolean;
  status: StatusLine | undefined;
  /** The session's phase when the command was queued (or, held for after the login, `transaction`), for its -ERR. */
  phase: Pop3Phase;
  /** Cancelled after it was sent: its reply is still read, then thrown away. */
  discard: boolean;
}
