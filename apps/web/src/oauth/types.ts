/** A server's OAuth 2.0 provider as the bridge sends it with `/api/servers` (one shape in @webpop/wire). */
export type { OAuthProvider } from '@webpop/wire';

/** What the token endpoint gave: held in memory only (a TokenHolder), never stored. */
export interface OAuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** When the access token expires (`now()` milliseconds); undefined when the provider did not say. */
  readonly expiresAt: number | undefined;
}

/** A sign-in with the provider, finished: the tokens and who the ID token says signed in. */
export interface OAuthGrant {
  readonly tokens: OAuthTokens;
  /** The configured claim of the ID token (undefined when the token had none). */
  readonly claimedUsername: string | undefined;
}

/** What the page keeps across the trip to the provider: in sessionStorage, removed at the return. */
export interface PendingAuthorization {
  readonly state: string;
  readonly codeVerifier: string;
  /** The app's address the provider sends the browser back to (exactly as registered). */
  readonly redirectUri: string;
  readonly serverId: string;
  /** The username typed (sent as `login_hint`): the mailbox login; empty: the ID token's claim. */
  readonly username: string;
  readonly sharedComputer: boolean;
  /** `Date.now()` at the start: an old one is not completed. */
  readonly startedAt: number;
}

export type OAuthErrorKind =
  /** The return's state is not the one sent (or nothing was pending): not completed. */
  | 'state'
  /** The provider answered the authorization request with an error (e.g. access_denied). */
  | 'denied'
  /** Discovery, the code exchange or the token response failed. */
  | 'exchange'
  /** The refresh token was refused (expired, revoked) or there is none. */
  | 'refresh'
  /** Neither a typed username nor the configured ID token claim. */
  | 'username';

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly kind: OAuthErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Recognised by name and kind (this module stays out of the shell's imports of the flow). */
export function isOAuthError(error: unknown): error is OAuthError {
  return (
    error instanceof Error && error.name === 'OAuthError' && typeof (error as OAuthError).kind === 'string'
  );
}

/**
 * The engine's Pop3OAuthError (the mail server refused the token), or a Pop3LoginError of which one
 * attempt was one, recognised without importing the engine. Its OAuth status, or undefined.
 */
export function tokenRefusalStatus(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as { kind?: unknown }).kind !== 'server') return undefined;
  const status = (error as { oauth?: { status?: unknown } }).oauth?.status;
  if (typeof status === 'string') return status;
  const attempts = (error as { attempts?: ReadonlyArray<{ error: unknown }> }).attempts;
  return Array.isArray(attempts)
    ? attempts.map((attempt: { error: unknown }) => tokenRefusalStatus(attempt.error)).find(Boolean)
    : undefined;
}

export function isTokenRefusal(error: unknown): boolean {
  return tokenRefusalStatus(error) !== undefined;
}
