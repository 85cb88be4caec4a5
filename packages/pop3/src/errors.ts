import { KindedError, type SecurityRefusal, type TransportErrorKind } from '@webpop/wire';

/** The response codes (RFC 2449, RFC 3206) that say why the server refused: a login, or any command. */
export type RefusalCode = 'AUTH' | 'SYS/TEMP' | 'SYS/PERM' | 'IN-USE' | 'LOGIN-DELAY';

/** Response codes that a server may put in brackets after -ERR. */
export type ResponseCode = RefusalCode | 'UTF8' | (string & {});

/** What each refusal code means for the caller: may the same request succeed a little later? */
const retryableAfter: Readonly<Record<RefusalCode, boolean>> = {
  AUTH: false, // the credentials were refused
  'SYS/PERM': false, // a permanent problem on the server's side
  'SYS/TEMP': true, // a temporary problem on the server's side
  'IN-USE': true, // another session holds the mailbox lock
  'LOGIN-DELAY': true, // signed in too soon after the last time
};

/**
 * The code says the login itself was refused (bad credentials, a locked or broken mailbox): another
 * login method cannot help. Also the codes the web app and the CLI have their own words for.
 */
export function isLoginRefusal(code: ResponseCode | undefined): code is RefusalCode {
  return code !== undefined && Object.hasOwn(retryableAfter, code);
}

/** The code says the same request may succeed later (`IN-USE`, `SYS/TEMP`, `LOGIN-DELAY`). */
export function isRetryable(code: ResponseCode | undefined): boolean {
  return isLoginRefusal(code) && retryableAfter[code];
}

/**
 * Where in the session the server refused: its greeting; signing in (RFC 1939's AUTHORIZATION state:
 * USER, PASS, APOP, AUTH, and CAPA or STLS before them); or the TRANSACTION state after a login.
 */
export type Pop3Phase = 'greeting' | 'login' | 'transaction';

/** Base class of every error the engine throws: `kind` tells them apart without instanceof. */
export class Pop3Error extends KindedError<Pop3ErrorKind> {
  override name = 'Pop3Error';
}

/** The engine's kinds: the transports' (closed, timeout, aborted, security, tls, bridge) and these. */
export type Pop3ErrorKind =
  | 'server' // the server answered -ERR
  | 'protocol' // the server said something that is not POP3
  | 'unsupported' // the server lacks what was asked for
  | 'integrity' // a message arrived whole but not as the server described it (size against LIST)
  | TransportErrorKind;

/** The server answered `-ERR` to a command (or to the greeting). */
export class Pop3ServerError extends Pop3Error {
  override name = 'Pop3ServerError';
  /** The command as sent, secrets removed (e.g. `PASS`, `AUTH PLAIN`, `RETR 3`), or `greeting`. */
  readonly command: string;
  /** The server's text after `-ERR` and after the response code. */
  readonly serverText: string;
  /** The bracketed response code, upper-cased, if the server gave one. */
  readonly code: ResponseCode | undefined;
  readonly phase: Pop3Phase;
  constructor(command: string, serverText: string, code: ResponseCode | undefined, phase: Pop3Phase) {
    super(
      'server',
      `${command}: server said -ERR${code ? ` [${code}]` : ''}${serverText ? ` ${serverText}` : ''}`,
    );
    this.command = command;
    this.serverText = serverText;
    this.code = code;
    this.phase = phase;
  }
}

/**
 * Every login method tried was refused: the server's last answer (as a Pop3ServerError), and each
 * method with what the server said to it, so a user reads what was tried, not just "wrong password?".
 */
export class Pop3LoginError extends Pop3ServerError {
  override name = 'Pop3LoginError';
  constructor(
    readonly attempts: ReadonlyArray<{ readonly method: string; readonly error: Pop3ServerError }>,
  ) {
    const last = attempts[attempts.length - 1]!.error;
    super(last.command, last.serverText, last.code, last.phase);
    this.message = `login refused with every method tried (${attempts
      .map(({ method }) => method.toUpperCase())
      .join(', ')}): ${last.message}`;
  }
}

/** What an OAuth 2.0 server put in its SASL error challenge (RFC 7628 section 3.2.2, or XOAUTH2's). */
export interface OAuthFailure {
  /** e.g. `invalid_token` (RFC 7628), or an HTTP status such as `401` (Gmail's XOAUTH2). */
  readonly status: string;
  /** The scope the token would need, when the server named it. */
  readonly scope: string | undefined;
  /** Where the server's authorization server describes itself, when it said so. */
  readonly openidConfiguration: string | undefined;
}

/**
 * The server refused an OAuth 2.0 bearer token (OAUTHBEARER or XOAUTH2): expired, revoked, for
 * another user or without the scope. `oauth` holds what its error challenge said; a client gets a
 * new token (refresh, or the user's consent again) rather than asking for a password.
 */
export class Pop3OAuthError extends Pop3ServerError {
  override name = 'Pop3OAuthError';
  constructor(
    refusal: Pop3ServerError,
    readonly oauth: OAuthFailure,
  ) {
    super(refusal.command, refusal.serverText, refusal.code, refusal.phase);
    this.message = `${refusal.message} (OAuth status ${oauth.status})`;
  }
}

export class Pop3ProtocolError extends Pop3Error {
  override name = 'Pop3ProtocolError';
  constructor(message: string) {
    super('protocol', message);
  }
}

export class Pop3ClosedError extends Pop3Error {
  override name = 'Pop3ClosedError';
  /**
   * Set when the WebSocket to the bridge itself was cut (its close code, e.g. 1001 or 1006) rather than
   * the mail server ending the connection: the bridge stopped or restarted, or the network went away.
   */
  readonly bridgeCloseCode: number | undefined;
  constructor(
    message = 'the connection to the server was closed',
    options?: { cause?: unknown; bridgeCloseCode?: number },
  ) {
    super('closed', message, options);
    this.bridgeCloseCode =
      options?.bridgeCloseCode ??
      (options?.cause instanceof Pop3ClosedError ? options.cause.bridgeCloseCode : undefined);
  }
}

export class Pop3TimeoutError extends Pop3Error {
  override name = 'Pop3TimeoutError';
  /** The command that got no reply, or `connect` when the connection itself was not made in time. */
  readonly command: string;
  constructor(command: string, timeoutMs: number, what = `${command}: no reply from the server`) {
    super('timeout', `${what} within ${timeoutMs} ms`);
    this.command = command;
  }
}

export class Pop3AbortError extends Pop3Error {
  override name = 'AbortError';
  constructor(command: string) {
    super('aborted', `${command}: cancelled`);
  }
}

/** Why the engine refused (the same reasons as the SMTP engine's, from @webpop/wire). */
export type { SecurityRefusal };

export class Pop3SecurityError extends Pop3Error {
  override name = 'Pop3SecurityError';
  readonly reason: SecurityRefusal;
  constructor(reason: SecurityRefusal, message: string) {
    super('security', message);
    this.reason = reason;
  }
}

export class Pop3UnsupportedError extends Pop3Error {
  override name = 'Pop3UnsupportedError';
  constructor(message: string) {
    super('unsupported', message);
  }
}

/**
 * A message's reply ended properly but its size disagrees with what LIST said: it is not the message
 * the server holds (cut short or padded on the way), so it must not be kept as if it were. The
 * session stays usable: the byte stream is still in step.
 */
export class Pop3IntegrityError extends Pop3Error {
  override name = 'Pop3IntegrityError';
  constructor(
    readonly number: number,
    readonly receivedBytes: number,
    readonly listedBytes: number,
  ) {
    super(
      'integrity',
      `message ${number} arrived with ${receivedBytes} bytes but the server's LIST said ${listedBytes}: ` +
        'it is not the message the server holds',
    );
  }
}

export class Pop3TlsError extends Pop3Error {
  override name = 'Pop3TlsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('tls', message, options);
  }
}

/** The server sent bytes between its +OK to STLS and the TLS handshake (CVE-2021-22947 class). */
export function starttlsInjectionError(): Pop3SecurityError {
  return new Pop3SecurityError(
    'injection',
    'the server sent data after +OK to STLS, before the TLS handshake (STARTTLS injection): connection closed',
  );
}
