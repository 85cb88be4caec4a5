// OAuth 2.0 submission against real parts on loopback: Postfix whose SASL is Dovecot's, Dovecot's
// oauth2 passdb validating JWT access tokens from a real OpenID Connect provider (oidc-provider). A
// good token sends (OAUTHBEARER, XOAUTH2, `auto`) and the message lands in the maildir; another
// user's token ends in RFC 7628's error challenge, answered with %x01, then 535.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postfixAvailable,
  startOidcProvider,
  startSubmissionServers,
  type RunningOidcProvider,
  type RunningSubmissionServers,
} from '@webpop/testkit';
import { SmtpOAuthError, type AuthMethod } from '../src/index.js';
import { connectSmtp } from '../src/node/index.js';

let provider: RunningOidcProvider;
let servers: RunningSubmissionServers;

describe.skipIf(!postfixAvailable())('Postfix with Dovecot’s oauth2 passdb', () => {
  beforeAll(async () => {
    provider = await startOidcProvider({
      clients: [{ clientId: 'webpop', redirectUris: ['http://127.0.0.1:1/'] }],
    });
    servers = await startSubmissionServers({
      users: [
        { username: 'alice', password: 'not-used-here' },
        { username: 'bob', password: 'not-used-here' },
      ],
      oauth2: { issuer: provider.issuer, keys: [provider.signingKey] },
      extraConfig: 'auth_verbose = yes',
    });
  }, 60_000);

  afterAll(async () => {
    await servers?.stop();
    await provider?.stop();
  });

  const submit = (accessToken: string, method: AuthMethod = 'auto') =>
    connectSmtp({
      host: '127.0.0.1',
      port: servers.postfix.submissionPort,
      security: 'starttls',
      ca: servers.postfix.caPem,
      credentials: { username: 'alice', accessToken, method },
    });

  it('Postfix offers both OAuth mechanisms; each token sends, and the messages arrive', async () => {
    const to = servers.postfix.address('alice');
    const methods = ['auto', 'oauthbearer', 'xoauth2'] as const;
    for (const [i, method] of methods.entries()) {
      const client = await submit(await provider.issueAccessToken('alice'), method);
      expect(client.capabilities?.authMechanisms).toEqual(expect.arrayContaining(['OAUTHBEARER', 'XOAUTH2']));
      expect(client.authenticated).toBe(method === 'auto' ? 'oauthbearer' : method);
      const body = `From: ${to}\r\nTo: ${to}\r\nSubject: by ${method}\r\n\r\nsent with a token\r\n`;
      const result = await client.send({ from: to, to: [to] }, new TextEncoder().encode(body));
      expect(result.accepted).toEqual([to]);
      await client.quit();
      expect(await servers.delivered('alice', i + 1)).toHaveLength(i + 1);
    }
  });

  for (const method of ['oauthbearer', 'xoauth2'] as const) {
    it(`another user's token is refused after the error challenge (${method})`, async () => {
      const error = await submit(await provider.issueAccessToken('bob'), method).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmtpOAuthError);
      expect(error).toMatchObject({ code: 535, phase: 'auth' });
      // Dovecot says it as RFC 7628 does for OAUTHBEARER, and as Gmail does (an HTTP status) for XOAUTH2.
      expect((error as SmtpOAuthError).oauth.status).toBe(method === 'oauthbearer' ? 'invalid_token' : '401');
      expect(await servers.dovecot.logTail()).toMatch(/Username 'alice' did not match 'bob'/);
    });
  }
});
