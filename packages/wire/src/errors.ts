// The error shapes both engines share (@webpop/pop3 and @webpop/smtp): one base with a `kind`, the
// kinds a shared transport raises, and why a security check refused.

/**
 * Base of every error either engine throws: `kind` tells them apart without instanceof. Each engine
 * narrows `Kind` to its own list (Pop3ErrorKind, SmtpErrorKind), both holding `TransportErrorKind`.
 */
export class KindedError<Kind extends string> extends Error {
  override name = 'KindedError';
  readonly kind: Kind;
  constructor(kind: Kind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/**
 * The kinds the transports (Node's net/tls and the bridge's WebSocket, shared by both engines) raise;
 * they mean the same in either engine.
 */
export type TransportErrorKind =
  | 'closed' // the connection ended before the reply did
  | 'timeout' // no reply (or no progress) in time
  | 'aborted' // the caller cancelled
  | 'security' // the engine refused to do something unsafe
  | 'tls' // the TLS handshake or upgrade failed
  | 'bridge'; // webpop's bridge refused or ended the relay

export const transportErrorKinds: readonly TransportErrorKind[] = [
  'closed',
  'timeout',
  'aborted',
  'security',
  'tls',
  'bridge',
];

/**
 * Why an engine refused: `plaintext` (a password would cross an unencrypted link), `injection`
 * (bytes between the go-ahead to STLS/STARTTLS and the handshake), `credentials` (a line break or
 * NUL in them), `missing-secret` (no password or token given), `not-encrypted` (TLS was asked for
 * and is absent).
 */
export type SecurityRefusal = 'plaintext' | 'injection' | 'credentials' | 'missing-secret' | 'not-encrypted';
