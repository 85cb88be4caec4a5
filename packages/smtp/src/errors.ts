import {
  KindedError,
  transportErrorKinds,
  type SecurityRefusal,
  type TransportErrorKind,
} from '@webpop/wire';
import type { OAuthFailure } from '@webpop/pop3/codec';

/**
 * Every failure of the SMTP engine is an `SmtpError` with a `kind`, like the POP3 engine's, so callers
 * tell them apart without instanceof. The kinds shared with POP3 (`closed`, `timeout`, `aborted`,
 * `security`, `tls`, `bridge` …) mean the same things.
 */
export type SmtpErrorKind =
  | 'server' // the server refused with a 4xx/5xx reply
  | 'recipients' // one or more recipients were refused, and the policy said not to send to the rest
  | 'protocol' // the server said something that is not SMTP
  | 'unsupported' // the server lacks what was asked for (STARTTLS, AUTH, SMTPUTF8, 8BITMIME)
  | 'size' // the message is larger than the server's SIZE
  | 'message' // the message or an address cannot be sent as given
  | 'outcome-unknown' // the whole message and its final dot went out, and no final reply came back
  | TransportErrorKind; // closed, timeout (RFC 5321's), aborted, security, tls, bridge

export class SmtpError extends KindedError<SmtpErrorKind> {
  override name = 'SmtpError';
}

/** Where in the session the server refused. */
export type SmtpPhase =
  'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'message' | 'session';

/** An RFC 3463 enhanced status code: `class.subject.detail`, e.g. `5.1.1`. */
export type EnhancedStatus = `${2 | 4 | 5}.${number}.${number}`;

/** A 4xx or 5xx reply: the code, the RFC 3463 status where the server gave one, and its words. */
export class SmtpServerError extends SmtpError {
  override name = 'SmtpServerError';
  constructor(
    /** The command as sent, secrets removed (`MAIL FROM`, `RCPT TO:<bob@example.org>`, `AUTH PLAIN`). */
    readonly command: string,
    readonly code: number,
    readonly enhancedStatus: EnhancedStatus | undefined,
    /** The server's text (every line, joined by a newline), enhanced status codes removed. */
    readonly serverText: string,
    readonly phase: SmtpPhase,
  ) {
    super(
      'server',
      `${command}: server said ${code}${enhancedStatus ? ` ${enhancedStatus}` : ''}${serverText ? ` ${serverText}` : ''}`,
    );
  }

  /** A 4xx reply: the same request may succeed later (RFC 5321 section 4.2.1). */
  get transient(): boolean {
    return this.code >= 400 && this.code < 500;
  }
}

/** What an OAuth 2.0 server put in its SASL error challenge (RFC 7628 section 3.2.2, or XOAUTH2's). */
export type { OAuthFailure } from '@webpop/pop3/codec';

/**
 * The server refused an OAuth 2.0 bearer token (OAUTHBEARER or XOAUTH2) after its error challenge:
 * expired, revoked, for another user or without the scope. `oauth` holds what the challenge said
 * (the same shape as the POP3 engine's Pop3OAuthError); a client gets a new token (refresh, or the
 * user's consent again) rather than asking for a password.
 */
export class SmtpOAuthError extends SmtpServerError {
  override name = 'SmtpOAuthError';
  constructor(
    refusal: SmtpServerError,
    readonly oauth: OAuthFailure,
  ) {
    super(refusal.command, refusal.code, refusal.enhancedStatus, refusal.serverText, refusal.phase);
    this.message = `${refusal.message} (OAuth status ${oauth.status})`;
  }
}

export interface RefusedRecipient {
  readonly address: string;
  readonly error: SmtpServerError;
}

/**
 * Recipients were refused at RCPT (each by address, with the server's reply); the message was not
 * sent to anyone: either every recipient was refused, or the policy said not to send to the rest.
 */
export class SmtpRecipientsError extends SmtpError {
  override name = 'SmtpRecipientsError';
  constructor(
    readonly refused: readonly RefusedRecipient[],
    readonly accepted: readonly string[],
  ) {
    super(
      'recipients',
      `${refused.length === 1 ? 'a recipient was' : `${refused.length} recipients were`} refused, nothing was sent: ` +
        refused.map(({ address, error }) => `${address} (${error.code} ${error.serverText})`).join('; '),
    );
  }
}

/**
 * The message and its final `.` were handed to the link, and then the link dropped, timed out, was
 * cancelled or garbled the reply before the server's final reply came back whole. The server may
 * already have queued the message (RFC 5321 section 6.1 makes it responsible from its 250 on, and
 * the 250 may be what was lost), so this is neither a success nor "nothing was delivered": the
 * caller must not resend on its own, and the user should check before sending again. `cause` is
 * what ended the wait (`closed`, `timeout`, `aborted`, `protocol` …).
 */
export class SmtpOutcomeUnknownError extends SmtpError {
  override name = 'SmtpOutcomeUnknownError';
  constructor(
    cause: Error,
    /** The recipients the server had accepted at RCPT: those who may have it. */
    readonly accepted: readonly string[],
    /** Refused recipients the policy chose to send without: they do not have it. */
    readonly refused: readonly RefusedRecipient[],
    /** Message bytes handed to the link, dot-stuffing and the final dot included. */
    readonly sentBytes: number,
  ) {
    super(
      'outcome-unknown',
      `the whole message was sent, but the server's reply to its end did not arrive (${cause.message}): ` +
        'it may have been accepted',
      { cause },
    );
  }
}

export class SmtpProtocolError extends SmtpError {
  override name = 'SmtpProtocolError';
  constructor(message: string) {
    super('protocol', message);
  }
}

export class SmtpClosedError extends SmtpError {
  override name = 'SmtpClosedError';
  constructor(message = 'the connection to the server was closed', options?: { cause?: unknown }) {
    super('closed', message, options);
  }
}

export class SmtpTimeoutError extends SmtpError {
  override name = 'SmtpTimeoutError';
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super('timeout', `${command}: no reply from the server within ${timeoutMs} ms`);
  }
}

export class SmtpAbortError extends SmtpError {
  override name = 'AbortError';
  constructor(what: string) {
    super('aborted', `${what}: cancelled`);
  }
}

/** Why the engine refused (the same reasons as the POP3 engine's, from @webpop/wire). */
export type { SecurityRefusal };

export class SmtpSecurityError extends SmtpError {
  override name = 'SmtpSecurityError';
  constructor(
    readonly reason: SecurityRefusal,
    message: string,
  ) {
    super('security', message);
  }
}

export class SmtpUnsupportedError extends SmtpError {
  override name = 'SmtpUnsupportedError';
  constructor(message: string) {
    super('unsupported', message);
  }
}

/** The message is larger than the server's SIZE limit (RFC 1870); nothing was sent. */
export class SmtpSizeError extends SmtpError {
  override name = 'SmtpSizeError';
  constructor(
    readonly messageBytes: number,
    readonly serverLimit: number,
  ) {
    super('size', `the message has ${messageBytes} bytes, the server takes at most ${serverLimit}`);
  }
}

/** An address or the message cannot be sent as given (a line break in an address, a bare CR …). */
export class SmtpMessageError extends SmtpError {
  override name = 'SmtpMessageError';
  constructor(message: string) {
    super('message', message);
  }
}

export function starttlsInjectionError(): SmtpSecurityError {
  return new SmtpSecurityError(
    'injection',
    'the server sent data after 220 to STARTTLS, before the TLS handshake (STARTTLS injection): connection closed',
  );
}

const transportKinds = new Set<string>(transportErrorKinds);

/**
 * The transports are shared with the POP3 engine and throw its errors; a caller of this engine sees
 * `SmtpError`s of the same kind (the original as `cause`, a bridge's `code` and a security `reason` kept).
 */
export function fromTransportError(error: unknown): Error {
  if (error instanceof SmtpError || !(error instanceof Error)) return error as Error;
  const kind = (error as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !transportKinds.has(kind as SmtpErrorKind)) return error;
  const message = error.message.replace(/\bSTLS\b/g, 'STARTTLS').replace(/\+OK/g, '220');
  if (kind === 'security') {
    const reason = (error as { reason?: SecurityRefusal }).reason ?? 'injection';
    return Object.assign(new SmtpSecurityError(reason, message), { cause: error });
  }
  if (kind === 'bridge') return new SmtpBridgeError(error, message);
  return new SmtpError(kind as SmtpErrorKind, message, { cause: error });
}

/** The bridge refused the relay or ended it, with its code (`target_denied`, `tls_failed` …). */
export class SmtpBridgeError extends SmtpError {
  override name = 'SmtpBridgeError';
  readonly code: string;
  readonly bridgeMessage: string;
  readonly closeCode: number | undefined;
  constructor(cause: Error, message: string) {
    super('bridge', message, { cause });
    const fields = cause as { code?: string; bridgeMessage?: string; closeCode?: number };
    this.code = fields.code ?? 'protocol_error';
    this.bridgeMessage = fields.bridgeMessage ?? message;
    this.closeCode = fields.closeCode;
  }
}
