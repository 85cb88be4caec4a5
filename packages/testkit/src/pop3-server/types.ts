export type Pop3State = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE';

export type SaslMechanism = 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2';

export type LoginErrorCode = 'IN-USE' | 'LOGIN-DELAY' | 'SYS/TEMP' | 'SYS/PERM';

export interface Pop3AccountInput {
  username: string;
  /** For XOAUTH2 this is the bearer token. */
  password: string;
  /** Raw RFC 5322 messages; bare LF is normalised to CRLF when loaded. */
  messages: Uint8Array[];
}

export interface Pop3Features {
  /** Off: CAPA answers -ERR (an RFC 1939-only server). */
  capa?: boolean;
  pipelining?: boolean;
  top?: boolean;
  uidl?: boolean;
  /** USER/PASS. */
  user?: boolean;
  /** Timestamp in the greeting and the APOP command. */
  apop?: boolean;
  /** Enabled SASL mechanisms; default ['PLAIN', 'LOGIN', 'CRAM-MD5']. [] disables AUTH. */
  sasl?: SaslMechanism[];
  /** RESP-CODES / AUTH-RESP-CODE: bracketed codes such as [AUTH] and [IN-USE] on errors. */
  respCodes?: boolean;
  /** RFC 1939 exclusive maildrop lock; default false. A second concurrent login gets -ERR [IN-USE]. */
  lockMailbox?: boolean;
}

export interface DropAfterCommandFault {
  command: string;
  /** Which occurrence (counted across all connections of the server) triggers the drop; default 1. Fires once. */
  after?: number;
  /**
   * Send this many bytes of the response, then close the socket; default 0 (no answer at all, and the
   * command has no effect). With a partial answer the command itself still runs (a cut QUIT commits).
   */
  midResponseBytes?: number;
}

export interface Pop3Faults {
  /** 'err': the greeting is -ERR [SYS/TEMP] and the connection closes; 'close': close right after a normal greeting. */
  greeting?: 'err' | 'close';
  dropAfterCommand?: DropAfterCommandFault;
  /** Read this command and never answer it (nor anything after it). */
  stallOn?: string;
  /** TOP always fails, whatever CAPA advertises. */
  errOnTop?: boolean;
  /** Answer this command with this raw line (CRLF is appended) instead of +OK/-ERR. */
  garbageOn?: { command: string; line: string };
  /** Answer this command with a "+OK xxxx…" status line of this many bytes and no CRLF. */
  longLineOn?: { command: string; bytes: number };
  /** Answer this command with random non-text bytes (no CR or LF), then CRLF. */
  binaryOn?: { command: string; bytes?: number };
  /** Every login attempt (PASS, APOP, AUTH) fails with -ERR [<code>]. */
  loginError?: LoginErrorCode;
  /** Throttle all output to about this rate. */
  bytesPerSecond?: number;
  /** Written in plaintext after the +OK to STLS and before the TLS handshake (STARTTLS response injection). */
  injectAfterStls?: string;
}

/**
 * Behaviours of real servers and of other clients' test servers that are within (or at the edge of)
 * the RFCs, for interoperability tests. All off by default.
 */
export interface Pop3Quirks {
  /** `lf`: every line the server writes ends in a bare LF: greeting, status lines, bodies, the `.` LF terminator. */
  lineEnding?: 'crlf' | 'lf';
  /**
   * Messages are served exactly as delivered: bare LFs stay, dots are stuffed only after CRLF (RFC 1939:
   * a line is what CRLF ends) and LIST counts the bytes as they are.
   */
  keepBareLf?: boolean;
  /** LIST reports these sizes for these message numbers instead of the true ones. */
  listSizes?: Record<number, number>;
  /** UIDL reports this id for these message numbers (duplicates); `null` leaves the message out of UIDL. */
  uidl?: Record<number, string | null>;
  /** Capabilities the server has but leaves out of CAPA: always, or only before login (as some proxies do). */
  unlisted?: { always?: string[]; beforeLogin?: string[] };
  /**
   * An initial response on the AUTH line: `accept` (RFC 5034), `challenge` (ignored: the server sends
   * `+ ` and takes the response on the next line, RFC 1734 style, as Thunderbird's fake server does),
   * `refuse` (-ERR: only the two-step form works, as with Microsoft's XOAUTH2).
   */
  saslInitialResponse?: 'accept' | 'challenge' | 'refuse';
  /** Mechanisms listed in CAPA whose every attempt fails (a server only pretending to implement them). */
  brokenSasl?: SaslMechanism[];
  /** Users without an APOP secret: APOP fails for them with -ERR [AUTH], although the greeting has a timestamp. */
  noApopSecret?: string[];
  /** The greeting after `+OK ` as raw bytes (latin1), and the timestamp APOP digests are checked against. */
  greeting?: { text: string; apopTimestamp: string | undefined };
  /** QUIT is answered by closing the connection without +OK (deletions are committed all the same). */
  quitCloses?: boolean;
  /**
   * HELP (not in RFC 1939; older servers have it, Dovecot answers -ERR): `single` answers one `+OK`
   * line naming the commands, `multi` a `+OK` and one line per command (as qpopper does). Off: -ERR.
   */
  help?: 'single' | 'multi';
}

export interface Pop3CommandContext {
  /** Upper-cased command name. */
  command: string;
  args: string[];
  state: Pop3State;
  /** Queued in order with the server's own output; backpressure and throttling apply. */
  write(data: Uint8Array | string): void;
  destroy(): void;
}

export interface Pop3ServerOptions {
  host?: string;
  port?: number;
  accounts: Pop3AccountInput[];
  /** PEM key and certificate: enables STLS, or with implicitTls a TLS listener. */
  tls?: { key: string; cert: string };
  implicitTls?: boolean;
  features?: Pop3Features;
  faults?: Pop3Faults;
  quirks?: Pop3Quirks;
  /** Runs for every command before the server does; return true when it handled the command. */
  onCommand?: (ctx: Pop3CommandContext) => boolean | void;
}

export interface StoredMessage {
  readonly uid: string;
  /** CRLF form; sizes are counted on these bytes. */
  readonly bytes: Uint8Array;
}

export interface CommandLogEntry {
  connection: number;
  /** The command line as received, with PASS/AUTH/APOP secrets replaced by '***'. */
  command: string;
}

export interface RunningPop3Server {
  host: string;
  port: number;
  /** pop3://host:port or pop3s://host:port. */
  url: string;
  /** Live maildrops: what a new session would see. */
  accounts: ReadonlyMap<string, { username: string; messages: readonly StoredMessage[] }>;
  /** Appends a message to a maildrop; sessions already logged in do not see it (RFC 1939). */
  deliver(username: string, message: Uint8Array): StoredMessage;
  commandLog: CommandLogEntry[];
  /**
   * Replaces the faults from the next command on, in open sessions too (`{}` for none): a test can
   * break a server and mend it again. `bytesPerSecond` applies to connections accepted afterwards;
   * `dropAfterCommand` counts afresh.
   */
  setFaults(faults: Pop3Faults): void;
  /** Connections accepted so far. */
  readonly connectionCount: number;
  readonly openConnections: number;
  /** Stops listening and destroys open sockets. */
  close(): Promise<void>;
}
