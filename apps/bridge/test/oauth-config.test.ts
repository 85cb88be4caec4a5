// servers[].oauth: a public OAuth 2.0 client per server, validated with messages that name the key,
// sent to the web app with /api/servers, and the only hosts besides the bridge the CSP lets it fetch.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/schema.js';
import { CONTENT_SECURITY_POLICY } from '../src/http/headers.js';
import { startTestBridge, stopAll } from './support/bridge.js';

afterEach(stopAll);

const gmail = {
  label: 'Google',
  issuer: 'https://accounts.google.com',
  clientId: '1234-abc.apps.googleusercontent.com',
  scopes: ['openid', 'email', 'https://mail.google.com/'],
  authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://oauth2.googleapis.com/token',
  authorizationParams: { access_type: 'offline', prompt: 'consent' },
};
const selfHosted = {
  issuer: 'https://id.example.org/realms/mail',
  clientId: 'webpop',
  scopes: ['openid', 'email', 'offline_access'],
  audience: 'pop3',
};

function withOAuth(oauth: unknown) {
  return { servers: [{ id: 'mail', host: 'pop.example.org', oauth }] };
}

describe('servers[].oauth', () => {
  it('takes a provider with endpoints or with discovery, defaulting the label and the username claim', () => {
    const [google] = validateConfig(withOAuth(gmail)).servers;
    expect(google?.oauth).toEqual({ ...gmail, usernameClaim: 'email' });
    const [own] = validateConfig(withOAuth(selfHosted)).servers;
    expect(own?.oauth).toEqual({ ...selfHosted, label: 'id.example.org', usernameClaim: 'email' });
  });

  it('accepts http only for a provider on loopback', () => {
    const local = { ...selfHosted, issuer: 'http://127.0.0.1:4000' };
    expect(validateConfig(withOAuth(local)).servers[0]?.oauth?.issuer).toBe('http://127.0.0.1:4000');
    expect(() => validateConfig(withOAuth({ ...selfHosted, issuer: 'http://id.example.org' }))).toThrow(
      /servers\[0\]\.oauth\.issuer: use https/,
    );
  });

  it('refuses what a browser app must not have or cannot use, naming the key', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...selfHosted, clientSecret: 'x' }, /oauth\.clientSecret: a browser cannot keep a secret/],
      [{ ...selfHosted, scopes: [] }, /oauth\.scopes: name the scopes/],
      [{ ...selfHosted, scopes: ['openid email'] }, /oauth\.scopes\[0\]: one scope per entry/],
      [{ ...selfHosted, tokenEndpoint: 'https://id.example.org/token' }, /give both/],
      [{ ...selfHosted, issuer: 'not a url' }, /oauth\.issuer: not a URL/],
      [{ ...selfHosted, issuer: 'https://u:p@id.example.org' }, /no credentials/],
      [
        { ...selfHosted, authorizationParams: { state: 'x' } },
        /authorizationParams\.state: set by the web app/,
      ],
      [{ ...selfHosted, usernameClaim: 'a b' }, /usernameClaim: not a claim name/],
      [{ ...selfHosted, colour: 'red' }, /oauth\.colour: unknown key/],
      [{ clientId: 'x', scopes: ['a'] }, /oauth\.issuer/],
    ];
    for (const [oauth, message] of cases) expect(() => validateConfig(withOAuth(oauth))).toThrow(message);
  });
});

function get(url: string): Promise<{ headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('OAuth in /api/servers and the CSP', () => {
  it('sends each provider to the web app and admits exactly its token endpoint (or discovery issuer)', async () => {
    const bridge = await startTestBridge({
      servers: [
        { id: 'gmail', host: 'pop.gmail.com', oauth: gmail },
        { id: 'own', host: 'pop.example.org', oauth: selfHosted },
        { id: 'plain', host: 'pop.example.net' },
      ],
    });
    const { headers, body } = await get(`${bridge.url}/api/servers`);
    const list = JSON.parse(body) as { servers: Array<{ id: string; oauth?: unknown }> };
    expect(list.servers.map((server) => [server.id, server.oauth])).toEqual([
      ['gmail', { ...gmail, usernameClaim: 'email' }],
      ['own', { ...selfHosted, label: 'id.example.org', usernameClaim: 'email' }],
      ['plain', undefined],
    ]);
    expect(body).not.toContain('pop.gmail.com');
    const policy = String(headers['content-security-policy']);
    expect(policy).toContain(
      "connect-src 'self' https://id.example.org https://oauth2.googleapis.com/token;",
    );
    expect(policy.replace(/connect-src [^;]*/, '')).toBe(
      CONTENT_SECURITY_POLICY.replace(/connect-src [^;]*/, ''),
    );
  });

  it('leaves the policy as it was without providers', async () => {
    const bridge = await startTestBridge({ servers: [{ id: 'plain', host: 'pop.example.net' }] });
    expect((await get(`${bridge.url}/api/servers`)).headers['content-security-policy']).toBe(
      CONTENT_SECURITY_POLICY,
    );
  });
});
