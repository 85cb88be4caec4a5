import * as oauth from 'oauth4webapi';
import {
  OAuthError,
  type OAuthGrant,
  type OAuthProvider,
  type OAuthTokens,
  type PendingAuthorization,
} from './types.js';

/**
 * The authorization code flow with PKCE (S256) and state for a public client, and the refresh grant,
 * done by oauth4webapi: this module only says which provider, which parameters and what to keep.
 * Loaded with the first OAuth sign-in or return (not part of the app shell).
 */

export interface AuthorizationRequest {
  readonly serverId: string;
  /** Sent as `login_hint`, and the mailbox login when not empty. */
  readonly username: string;
  readonly sharedComputer: boolean;
  /** The app's own address, exactly as registered with the provider. */
  readonly redirectUri: string;
  readonly now: number;
}

/** The server's metadata: as configured, or found by discovery (once per page and issuer). */
const discovered = new Map<string, Promise<oauth.AuthorizationServer>>();

function authorizationServer(provider: OAuthProvider): Promise<oauth.AuthorizationServer> {
  const { issuer, authorizationEndpoint, tokenEndpoint } = provider;
  if (authorizationEndpoint && tokenEndpoint) {
    return Promise.resolve({
      issuer,
      authorization_endpoint: authorizationEndpoint,
      token_endpoint: tokenEndpoint,
    });
  }
  let known = discovered.get(issuer);
  if (!known) {
    const url = new URL(issuer);
    known = oauth
      .discoveryRequest(url, { algorithm: 'oidc', ...insecure(provider) })
      .then((response) => oauth.processDiscoveryResponse(url, response));
    known.catch(() => discovered.delete(issuer));
    discovered.set(issuer, known);
  }
  return known.catch((error: unknown) => {
    throw new OAuthError(
      'exchange',
      `the provider's discovery document could not be read: ${reason(error)}`,
      {
        cause: error,
      },
    );
  });
}

/** http is allowed by the bridge only for a provider on loopback (tests, a local provider). */
function insecure(provider: OAuthProvider): { [oauth.allowInsecureRequests]?: true } {
  return new URL(provider.issuer).protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
}

function client(provider: OAuthProvider): oauth.Client {
  return { client_id: provider.clientId };
}

function resource(provider: OAuthProvider): { additionalParameters?: Record<string, string> } {
  return provider.audience ? { additionalParameters: { resource: provider.audience } } : {};
}

/** Where to send the browser, and what to keep in sessionStorage until it comes back. */
export async function beginAuthorization(
  provider: OAuthProvider,
  request: AuthorizationRequest,
): Promise<{ url: URL; pending: PendingAuthorization }> {
  const as = await authorizationServer(provider);
  if (!as.authorization_endpoint)
    throw new OAuthError('exchange', 'the provider names no authorization endpoint');
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  const parameters = url.searchParams;
  for (const [name, value] of Object.entries(provider.authorizationParams ?? {})) parameters.set(name, value);
  parameters.set('client_id', provider.clientId);
  parameters.set('redirect_uri', request.redirectUri);
  parameters.set('response_type', 'code');
  parameters.set('scope', provider.scopes.join(' '));
  parameters.set('state', state);
  parameters.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  parameters.set('code_challenge_method', 'S256');
  if (provider.audience) parameters.set('resource', provider.audience);
  if (request.username) parameters.set('login_hint', request.username);
  return {
    url,
    pending: {
      state,
      codeVerifier,
      redirectUri: request.redirectUri,
      serverId: request.serverId,
      username: request.username,
      sharedComputer: request.sharedComputer,
      startedAt: request.now,
    },
  };
}

/** The return from the provider: the state checked, the code exchanged (with the verifier) for tokens. */
export async function completeAuthorization(
  provider: OAuthProvider,
  pending: PendingAuthorization,
  parameters: URLSearchParams,
  now: () => number,
): Promise<OAuthGrant> {
  const as = await authorizationServer(provider);
  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(as, client(provider), parameters, pending.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      throw new OAuthError('denied', error.error_description ?? error.error, { cause: error });
    }
    throw new OAuthError('state', `the provider's answer does not match this sign-in: ${reason(error)}`, {
      cause: error,
    });
  }
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client(provider),
      oauth.None(),
      validated,
      pending.redirectUri,
      pending.codeVerifier,
      { ...insecure(provider), ...resource(provider) },
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client(provider), response);
    const claim = oauth.getValidatedIdTokenClaims(result)?.[provider.usernameClaim];
    return {
      tokens: tokensOf(result, now(), undefined),
      claimedUsername: typeof claim === 'string' && claim !== '' ? claim : undefined,
    };
  } catch (error) {
    throw new OAuthError('exchange', `the provider did not give tokens: ${reason(error)}`, { cause: error });
  }
}

/** New tokens for the refresh token (a provider that does not rotate it: the same one kept). */
export async function refreshTokens(
  provider: OAuthProvider,
  refreshToken: string,
  now: () => number,
): Promise<OAuthTokens> {
  try {
    const as = await authorizationServer(provider);
    const response = await oauth.refreshTokenGrantRequest(as, client(provider), oauth.None(), refreshToken, {
      ...insecure(provider),
      ...resource(provider),
    });
    const result = await oauth.processRefreshTokenResponse(as, client(provider), response);
    return tokensOf(result, now(), refreshToken);
  } catch (error) {
    throw new OAuthError('refresh', `the token could not be refreshed: ${reason(error)}`, { cause: error });
  }
}

function tokensOf(
  result: oauth.TokenEndpointResponse,
  now: number,
  previousRefresh: string | undefined,
): OAuthTokens {
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token ?? previousRefresh,
    expiresAt: typeof result.expires_in === 'number' ? now + result.expires_in * 1000 : undefined,
  };
}

/** The words of a failure, without any token (oauth4webapi's messages name fields, not values). */
function reason(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) return error.error_description ?? error.error;
  return error instanceof Error ? error.message : String(error);
}
