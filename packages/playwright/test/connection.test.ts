// The mailbox reaches servers the way the engine does: STLS or implicit TLS with a CA, every login method.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestCertificates,
  startPop3Server,
  type RunningPop3Server,
  type SaslMechanism,
  type TestCertificates,
} from '@webpop/testkit';
import { Pop3SecurityError, Pop3TlsError, type AuthMethod, type LogEntry } from '@webpop/pop3';
import { createMailbox } from '../src/mailbox.js';
import { mail } from './support/messages.js';
import { rejectionOf } from './support/rejection.js';
import { password, username } from './support/server.js';

let certificates: TestCertificates;
let stls: RunningPop3Server;
let implicit: RunningPop3Server;
const token = 'ya29.test-token';

beforeAll(async () => {
  certificates = await createTestCertificates();
  const tls = { key: certificates.keyPem, cert: certificates.certPem };
  const accounts = [
    { username, password, messages: [] },
    { username: 'oauth', password: token, messages: [] },
  ];
  const sasl: SaslMechanism[] = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'];
  stls = await startPop3Server({ accounts, tls, features: { sasl } });
  implicit = await startPop3Server({ accounts, tls, implicitTls: true });
});

afterAll(async () => {
  await stls.close();
  await implicit.close();
});

async function roundTrip(
  server: RunningPop3Server,
  user: string,
  options: Parameters<typeof createMailbox>[0],
) {
  const log: LogEntry[] = [];
  const mailbox = await createMailbox({
    host: server.host,
    port: server.port,
    username: user,
    pollInterval: 20,
    timeout: 3_000,
    onLog: (entry) => log.push(entry),
    ...options,
  });
  const subject = `hello ${Math.random()}`;
  server.deliver(user, mail({ subject, text: 'code 9876' }));
  const message = await mailbox.waitForMessage({ subject });
  expect(message.code()).toBe('9876');
  return log.map((entry) => entry.text).join('\n');
}

describe('connecting', () => {
  const loginCommand: Record<Exclude<AuthMethod, 'xoauth2' | 'oauthbearer'>, string> = {
    auto: 'AUTH CRAM-MD5', // the strongest the server offers without a token
    user: 'USER alice',
    apop: 'APOP alice',
    plain: 'AUTH PLAIN',
    login: 'AUTH LOGIN',
    'cram-md5': 'AUTH CRAM-MD5',
  };
  for (const [auth, command] of Object.entries(loginCommand)) {
    it(`logs in with ${auth} over STLS, trusting the given CA`, async () => {
      const log = await roundTrip(stls, username, {
        security: 'starttls',
        auth: auth as AuthMethod,
        password,
        ca: certificates.caPem,
      });
      expect(log).toContain('STLS');
      expect(log).toContain(command);
      expect(log).not.toContain(password);
    });
  }

  it('logs in with XOAUTH2 and an access token', async () => {
    const log = await roundTrip(stls, 'oauth', {
      security: 'starttls',
      auth: 'xoauth2',
      accessToken: token,
      ca: certificates.caPem,
    });
    expect(log).toContain('AUTH XOAUTH2');
    expect(log).not.toContain(token);
  });

  it('uses implicit TLS, checking the name against servername', async () => {
    await roundTrip(implicit, username, {
      security: 'tls',
      password,
      ca: certificates.caPem,
      servername: 'localhost',
    });
    await expect(
      createMailbox({
        host: implicit.host,
        port: implicit.port,
        username,
        password,
        security: 'tls',
        ca: certificates.caPem,
        servername: 'other.example',
      }),
    ).rejects.toThrow(Pop3TlsError);
  });

  it('refuses an unknown certificate, saying where to give the CA', async () => {
    const error = await rejectionOf(
      createMailbox({ host: implicit.host, port: implicit.port, username, password, security: 'tls' }),
    );
    expect(error).toBeInstanceOf(Pop3TlsError);
    expect(error.message).toContain(`mailbox: TLS with ${implicit.host}:${implicit.port} failed: `);
    expect(error.message).toContain('give that CA with caFile (or WEBPOP_POP3_CA_FILE) or ca');
  });

  it('keeps the password off an unencrypted link unless allowPlaintext', async () => {
    const plain = {
      host: stls.host,
      port: stls.port,
      username,
      password,
      security: 'none' as const,
      auth: 'plain' as const,
    };
    await expect(createMailbox(plain)).rejects.toThrow(Pop3SecurityError);
    await roundTrip(stls, username, { ...plain, allowPlaintext: true });
  });
});
