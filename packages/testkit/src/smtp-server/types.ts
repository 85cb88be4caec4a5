/** The points of an SMTP session where a fault can be injected. */
export type SmtpStage =
  | 'greeting'
  | 'ehlo'
  | 'starttls'
  | 'auth'
  | 'mail'
  | 'rcpt'
  | 'data' // the reply to DATA (354 normally)
  | 'message' // the reply after the final `.` (250 normally)
  | 'rset'
  | 'noop'
  | 'quit';

export interface SmtpFaults {
  /** Answer the stage with this reply instead (e.g. `451 4.3.0 try later`, `554 5.7.1 no`). */
  readonly replyAt?: Partial<Record<SmtpStage, string>>;
  /** Never answer the stage (the client's timeout is what ends it). */
  readonly stallAt?: SmtpStage;
  /** Close the connection once this many message bytes arrived in DATA (a drop mid-DATA). */
  readonly dropMidData?: { readonly afterBytes: number };
  /**
   * Stop reading once this many message bytes arrived in DATA, keeping the connection open: the
   * client's writes back up (what its data-block timeout and backpressure are for).
   */
  readonly stallMidData?: { readonly afterBytes: number };
  /**
   * After the final `.`: the message is taken (`onMessage` is called, as a real server queues it
   * before it answers), then only the first `replyBytes` bytes of the `250` reply are written
   * (0: none) and the connection is dropped (`drop`) or left open with nothing more said (`stall`):
   * the reply lost on the way, so the client cannot know the message was taken.
   */
  readonly cutFinalReply?: { readonly replyBytes: number; readonly then: 'drop' | 'stall' };
  /** Bytes written right after `220` to STARTTLS, before the handshake (STARTTLS injection). */
  readonly injectAfterStarttls?: string;
}

export interface SmtpFeatures {
  /** Answer EHLO (false: 502, so the client falls back to HELO). Default true. */
  readonly ehlo?: boolean;
  readonly pipelining?: boolean; // default true
  /** SIZE limit to advertise (0: SIZE without a limit); undefined: no SIZE. */
  readonly size?: number;
  readonly eightBitMime?: boolean; // default true
  readonly smtpUtf8?: boolean; // default true
  readonly dsn?: boolean; // default true
  readonly enhancedStatusCodes?: boolean; // default true
  /**
   * AUTH mechanisms to offer; default PLAIN LOGIN CRAM-MD5 XOAUTH2 (only when accounts are given);
   * OAUTHBEARER (RFC 7628, with its error challenge) is known too.
   */
  readonly authMechanisms?: readonly string[];
  /** Offer AUTH before TLS too (default false: only after STARTTLS, as a submission server should). */
  readonly authWithoutTls?: boolean;
}

export interface SmtpServerOptions {
  readonly host?: string;
  readonly port?: number;
  /** Key and certificate: STARTTLS is offered (or, with `implicitTls`, TLS from the first byte). */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly implicitTls?: boolean;
  /** Accounts (user → password) for AUTH; without them the server takes mail without AUTH. */
  readonly accounts?: Readonly<Record<string, string>>;
  /** XOAUTH2 and OAUTHBEARER tokens (token → user). */
  readonly accessTokens?: Readonly<Record<string, string>>;
  /** Recipients refused at RCPT, with the reply (`550 5.1.1 no such user`). */
  readonly refuseRecipients?: Readonly<Record<string, string>>;
  readonly features?: SmtpFeatures;
  readonly faults?: SmtpFaults;
  /** Called with each message taken (after `250` to the final dot): a sink delivers it onwards. */
  readonly onMessage?: (message: ReceivedMessage) => void;
}

/** A message the server took: its envelope (as sent, with parameters) and its bytes, dot-unstuffed. */
export interface ReceivedMessage {
  readonly connection: number;
  readonly from: string;
  readonly mailParameters: readonly string[];
  readonly to: readonly string[];
  readonly rcptParameters: ReadonlyArray<readonly string[]>;
  /** Exactly the bytes between DATA's 354 and the final `.`, unstuffed. */
  readonly data: Buffer;
  /** The user AUTH named, if the session authenticated. */
  readonly user: string | undefined;
}

export interface RunningSmtpServer {
  readonly host: string;
  readonly port: number;
  readonly messages: readonly ReceivedMessage[];
  /** Every command line per connection, as received (AUTH responses replaced by `***`). */
  readonly commandLog: ReadonlyArray<{ readonly connection: number; readonly line: string }>;
  /** The command lines of each read from the socket that held more than one (pipelined flights). */
  readonly flights: ReadonlyArray<readonly string[]>;
  setFaults(faults: SmtpFaults): void;
  readonly connectionCount: number;
  close(): Promise<void>;
}
