// The servers behind signing in with OAuth 2.0: a real OpenID Connect provider (oidc-provider, its
// development login and consent pages), a real Dovecot validating its JWT access tokens with the
// oauth2 passdb (local validation with the provider's key), and a real bridge whose server names the
// provider. Started once per worker by oauth.spec.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBridge } from '@webpop/bridge';
import {
  freeLoopbackPort,
  startDovecot,
  startOidcProvider,
  type RunningDovecot,
  type RunningOidcProvider,
} from '@webpop/testkit';
import { builtApp } from '../global-setup.js';

export interface OAuthServers {
  readonly url: string;
  readonly provider: RunningOidcProvider;
  readonly dovecot: RunningDovecot;
  /** The button's label: "Sign in with Example ID". */
  readonly label: string;
  /** Subjects in each user's Inbox. */
  readonly subjects: Readonly<Record<string, readonly string[]>>;
  stop(): Promise<void>;
}

/** Access tokens live this long: the app refreshes them a minute before, so 5 s into each session. */
export const ACCESS_TOKEN_SECONDS = 65;

export const oauthUsers = ['olga', 'otto', 'oskar'] as const;

export async function startOAuthServers(): Promise<OAuthServers> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    // The bridge's address is the redirect URI the provider must know before the bridge starts.
    const port = await freeLoopbackPort();
    const url = `http://127.0.0.1:${port}`;
    const provider = await startOidcProvider({
      clients: [{ clientId: 'webpop', redirectUris: [`${url}/`] }],
      accessTokenTtlSeconds: ACCESS_TOKEN_SECONDS,
      // RFC 8707: a resource indicator is an absolute URI (the app sends it as `resource`).
      audience: 'urn:webpop:pop3',
    });
    stops.push(() => provider.stop());
    const subjects = Object.fromEntries(
      oauthUsers.map((user) => [user, [`For ${user}: the plan`, `For ${user}: the minutes`]]),
    );
    const mail = Object.fromEntries(
      Object.entries(subjects).map(([user, list]) => [user, list.map((subject) => message(user, subject))]),
    );
    const dovecot = await startDovecot({
      // The passwords are never used: these mailboxes are reached with tokens only.
      users: oauthUsers.map((username) => ({ username, password: `unused-${username}-${port}` })),
      messages: mail,
      oauth2: { issuer: provider.issuer, keys: [provider.signingKey] },
    });
    stops.push(() => dovecot.stop());
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'webpop-e2e-oauth-'));
    stops.push(async () => rmSync(tmp, { recursive: true, force: true }));
    const ca = path.join(tmp, 'dovecot-ca.pem');
    writeFileSync(ca, dovecot.caPem);
    const label = 'Example ID';
    const bridge = await startBridge(
      {
        listen: { host: '127.0.0.1', port },
        servers: [
          {
            id: 'oauth',
            label: 'Dovecot with OAuth',
            host: dovecot.host,
            port: dovecot.pop3sPort,
            security: 'tls',
            ca,
            oauth: {
              label,
              issuer: provider.issuer,
              clientId: 'webpop',
              scopes: ['openid', 'email', 'offline_access', 'mail'],
              audience: provider.audience,
              // oidc-provider issues a refresh token for offline_access only after an explicit consent.
              authorizationParams: { prompt: 'consent' },
            },
          },
        ],
        staticDir: builtApp,
        shutdownSeconds: 1,
      },
      { log: () => {} },
    );
    stops.push(() => bridge.close());
    return { url: bridge.url, provider, dovecot, label, subjects, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function message(user: string, subject: string): Uint8Array {
  return new TextEncoder().encode(
    [
      'From: Ana <ana@example.test>',
      `To: ${user}@example.test`,
      `Subject: ${subject}`,
      'Date: Tue, 01 Dec 2026 09:00:00 +0000',
      `Message-ID: <${subject.replace(/\W+/g, '.')}@example.test>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `The body of "${subject}".`,
      '',
    ].join('\r\n'),
  );
}
