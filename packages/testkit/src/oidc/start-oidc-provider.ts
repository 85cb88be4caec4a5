import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration } from 'oidc-provider';

export interface OidcClient {
  readonly clientId: string;
  /** Where the authorization server may send the browser back (exact match, as RFC 9700 asks). */
  readonly redirectUris: readonly string[];
}

export interface StartOidcProviderOptions {
  /** Public clients (no secret, PKCE required): a browser app such as webpop's. */
  readonly clients: readonly OidcClient[];
  /** The access tokens' audience: the mail server as a resource server. Default `pop3`. */
  readonly audience?: string;
  /** Scopes the resource server grants besides OpenID's. Default `['mail']`. */
  readonly scopes?: readonly string[];
  /** Lifetime of access tokens in seconds. Default 3600. */
  readonly accessTokenTtlSeconds?: number;
}

export interface IssueOptions {
  /** Default: the first client's id. */
  readonly clientId?: string;
  readonly ttlSeconds?: number;
}

export interface RunningOidcProvider {
  /** `http://127.0.0.1:<port>`: also the `iss` of every token. */
  readonly issuer: string;
  readonly audience: string;
  /** The key that signs access tokens: what a resource server (Dovecot) validates them with. */
  readonly signingKey: { readonly kid: string; readonly alg: 'RS256'; readonly publicKeyPem: string };
  /**
   * An access token for `username` (its `sub`) without the browser dance, signed like those the
   * token endpoint issues: for tests of the mail server's side.
   */
  issueAccessToken(username: string, options?: IssueOptions): Promise<string>;
  /** Revokes every grant (and so every refresh and access token) of `username`. */
  revokeGrants(username: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback, for OAuth 2.0 tests:
 * authorization code flow with PKCE for public clients, refresh tokens with `offline_access`, JWT
 * access tokens for one resource server, the package's development login and consent pages (any
 * login name, any password). Tokens live in the provider's memory.
 */
export async function startOidcProvider(options: StartOidcProviderOptions): Promise<RunningOidcProvider> {
  const audience = options.audience ?? 'pop3';
  const scopes = ['openid', 'email', 'offline_access', ...(options.scopes ?? ['mail'])];
  const accessTokenTtl = options.accessTokenTtlSeconds ?? 3600;
  const kid = randomBytes(6).toString('hex');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const allowedOrigins = new Set(
    options.clients.flatMap((client) => client.redirectUris.map((uri) => new URL(uri).origin)),
  );

  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const resourceServer = {
    audience,
    scope: scopes.filter((scope) => !['openid', 'email', 'offline_access'].includes(scope)).join(' '),
    accessTokenFormat: 'jwt' as const,
    accessTokenTTL: accessTokenTtl,
    jwt: { sign: { alg: 'RS256' as const } },
  };

  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      redirect_uris: [...client.redirectUris],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      application_type: 'web',
    })),
    jwks: { keys: [jwk] },
    scopes,
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id, email_verified: true }),
    }),
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => resourceServer,
      },
    },
    // Dovecot 2.3 validates a JWT locally only when its header says `typ: JWT`; RFC 9068's `at+jwt`
    // (this package's default) is refused with "Cannot find 'typ' field".
    formats: {
      customizers: {
        jwt: (_ctx, _token, jwt) => {
          jwt.header = { typ: 'JWT' };
        },
      },
    },
    clientBasedCORS: (_ctx, origin) => allowedOrigins.has(origin),
    // Refresh tokens for public clients outlive their access tokens here; rotating them is the default.
    ttl: { AccessToken: accessTokenTtl, RefreshToken: 24 * 3600, Grant: 24 * 3600, Session: 24 * 3600 },
    cookies: { keys: [randomBytes(16).toString('hex')] },
  };
  // Loaded here, not at the top: every test that imports testkit would otherwise load oidc-provider
  // (and print its Node-version warning) though only the OAuth tests start one.
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, configuration);
  // The development pages warn on every request; a test log has no use for it.
  provider.on('server_error', () => undefined);
  const handle = provider.callback();
  server.on('request', (req, res) => void handle(req, res));

  const grantsOf = new Map<string, Set<string>>();
  provider.on('grant.saved', (grant: { accountId?: string; jti: string }) => {
    if (!grant.accountId) return;
    const grants = grantsOf.get(grant.accountId) ?? new Set<string>();
    grants.add(grant.jti);
    grantsOf.set(grant.accountId, grants);
  });

  return {
    issuer,
    audience,
    signingKey: {
      kid,
      alg: 'RS256',
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
    async issueAccessToken(username, issue = {}) {
      const clientId = issue.clientId ?? options.clients[0]?.clientId;
      if (!clientId) throw new Error('startOidcProvider: no client to issue a token for');
      const client = await provider.Client.find(clientId);
      if (!client) throw new Error(`startOidcProvider: no client ${clientId}`);
      // A grant as the consent page would record it, so revokeGrants() ends these tokens too.
      const grant = new provider.Grant({ accountId: username, clientId });
      grant.addOIDCScope('openid email');
      grant.addResourceScope(audience, resourceServer.scope);
      const grantId = await grant.save();
      const token = new provider.AccessToken({
        accountId: username,
        client,
        grantId,
        gty: 'authorization_code',
        scope: resourceServer.scope,
        expiresIn: issue.ttlSeconds ?? accessTokenTtl,
      });
      token.resourceServer = new provider.ResourceServer(audience, resourceServer);
      return token.save();
    },
    async revokeGrants(username) {
      const grants = grantsOf.get(username) ?? new Set<string>();
      for (const jti of grants) {
        const grant = await provider.Grant.find(jti);
        await grant?.destroy();
        await Promise.all([
          provider.AccessToken.revokeByGrantId(jti),
          provider.RefreshToken.revokeByGrantId(jti),
        ]);
      }
      grantsOf.delete(username);
      return grants.size;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
