/**
 * A server's OAuth 2.0 / OpenID Connect provider for the web app's sign-in (authorization code with
 * PKCE in the page): a public client, so everything here is public. The bridge reads it from its
 * configuration (`servers[].oauth`) and sends it with `/api/servers`; the app parses it from there.
 */
export interface OAuthProvider {
  /** The button says "Sign in with <label>". Default (bridge): the issuer's host name. */
  readonly label: string;
  /** The authorization server's issuer identifier, exactly as its tokens' `iss`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Sent as RFC 8707's `resource` parameter (the mail server as the tokens' audience). */
  readonly audience?: string;
  /** Both or neither: without them the app reads the issuer's discovery document. */
  readonly authorizationEndpoint?: string;
  readonly tokenEndpoint?: string;
  /** The ID token claim that is the mailbox login name when none is typed. Default `email`. */
  readonly usernameClaim: string;
  /** Extra authorization request parameters, e.g. `{ "prompt": "consent" }` for refresh tokens. */
  readonly authorizationParams?: Readonly<Record<string, string>>;
}
