// The servers behind signing in with OAuth 2.0: a real OpenID Connect provider (oidc-provider, its
// development login and consent pages), a real Dovecot validating its JWT access tokens with the
// oauth2 passdb (local validation with the provider's key), where this machine can run it a real
// Postfix submitting with the same tokens (SASL through that Dovecot), and a real bridge whose server
// names the provider and Postfix. One user signs in with a password instead (beside the OAuth ones).
// Started once per worker by oauth.spec.ts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBridge } from '@webpop/bridge';
import {
  freeLoopbackPort,
  postfixAvailable,
  startDovecot,
  startOidcProvider,
  startSubmissionServers,
  type RunningDovecot,
  type RunningOidcProvider,
  type RunningPostfix,
} from '@webpop/testkit';
import type { User } from './servers.js';
import { builtApp } from '../global-setup.js';

export interface OAuthServers {
  readonly url: string;
  readonly provider: RunningOidcProvider;
  readonly dovecot: RunningDovecot;
  /** Postfix with Dovecot's SASL, where this machine can run it (`postfixAvailable()`). */
  readonly postfix: RunningPostfix | undefined;
  /** A user of the same Dovecot who signs in with a password. */
  readonly passwordUser: User;
  /** The button's label: "Sign in with Example ID". */
  readonly label: string;
  /** Subjects in each user's Inbox. */
  readonly subjects: Readonly<Record<string, readonly string[]>>;
  stop(): Promise<void>;
}

/** Access tokens live this long: the app refreshes them a minute before, so 5 s into each session. */
export const ACCESS_TOKEN_SECONDS = 65;

export const oauthUsers = ['olga', 'otto', 'oskar', 'oona'] as const;

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
    const passwordUser = { username: 'paula', password: randomBytes(9).toString('base64url') };
    const subjects = Object.fromEntries(
      [...oauthUsers, passwordUser.username].map((user) => [
        user,
        [`For ${user}: the plan`, `For ${user}: the minutes`],
      ]),
    );
    const mail = Object.fromEntries(
      Object.entries(subjects).map(([user, list]) => [user, list.map((subject) => message(user, subject))]),
    );
    const dovecotOptions = {
      // The OAuth users' passwords are never used: these mailboxes are reached with tokens only.
      users: [
        ...oauthUsers.map((username) => ({ username, password: `unused-${username}-${port}` })),
        passwordUser,
      ],
      messages: mail,
      oauth2: { issuer: provider.issuer, keys: [provider.signingKey] },
    };
    let dovecot: RunningDovecot;
    let postfix: RunningPostfix | undefined;
    if (postfixAvailable()) {
      const submission = await startSubmissionServers(dovecotOptions);
      stops.push(() => submission.stop());
      ({ dovecot, postfix } = submission);
    } else {
      dovecot = await startDovecot(dovecotOptions);
      stops.push(() => dovecot.stop());
    }
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'webpop-e2e-oauth-'));
    stops.push(async () => rmSync(tmp, { recursive: true, force: true }));
    const ca = path.join(tmp, 'dovecot-ca.pem');
    writeFileSync(ca, dovecot.caPem);
    const postfixCa = path.join(tmp, 'postfix-ca.pem');
    if (postfix) writeFileSync(postfixCa, postfix.caPem);
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
            ...(postfix
              ? {
                  submission: {
                    host: postfix.host,
                    port: postfix.submissionPort,
                    security: 'starttls' as const,
                    ca: postfixCa,
                  },
                  mailDomain: postfix.domain,
                }
              : {}),
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
    return { url: bridge.url, provider, dovecot, postfix, passwordUser, label, subjects, stop };
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
