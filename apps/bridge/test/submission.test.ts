// Submission through the bridge (issue 17): a configured server's submission server, reached by its id
// with `service: "submission"`, under the POP3 targets' policy; the connected frame says the service;
// old clients (no service) still reach the POP3 server. Real testkit servers on loopback.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { connectSubmissionWebSocketTransport } from '@webpop/smtp/browser';
import { openSubmission } from '@webpop/smtp';
import {
  createTestCertificates,
  startPop3Server,
  startSmtpServer,
  type RunningPop3Server,
  type RunningSmtpServer,
  type TestCertificates,
} from '@webpop/testkit';
import { validateConfig } from '../src/config/schema.js';
import { readEnvConfig } from '../src/config/env.js';
import { browserLikeWebSocket } from './support/browser-websocket.js';
import { RelayClient } from './support/relay-client.js';
import { startTestBridge, stopAll, stubResolver, tempFiles } from './support/bridge.js';

const alice = { username: 'alice', password: 'submission-test-secret' };
let certificates: TestCertificates;
let pop3: RunningPop3Server;
let starttls: RunningSmtpServer;
let implicit: RunningSmtpServer;

beforeAll(async () => {
  certificates = await createTestCertificates();
  const tls = { key: certificates.keyPem, cert: certificates.certPem };
  const accounts = { [alice.username]: alice.password };
  pop3 = await startPop3Server({ accounts: [{ ...alice, messages: [] }] });
  starttls = await startSmtpServer({ tls, accounts });
  implicit = await startSmtpServer({ tls, accounts, implicitTls: true });
});

afterAll(async () => {
  await Promise.all([pop3?.close(), starttls?.close(), implicit?.close()]);
});

afterEach(stopAll);

/** The test CA in a file (stopAll removes it after each test). */
const caFile = async () => join(await tempFiles({ 'ca.pem': certificates.caPem }), 'ca.pem');

const mailServer = (submission?: Record<string, unknown>) => ({
  id: 'mail',
  host: '127.0.0.1',
  port: pop3.port,
  security: 'none',
  ...(submission ? { submission } : {}),
});

const message = (subject: string) =>
  new TextEncoder().encode(
    `From: alice@example.org\r\nTo: bob@example.org\r\nSubject: ${subject}\r\n\r\nhello\r\n`,
  );

describe('servers[].submission in the configuration', () => {
  it('defaults to the server’s host, STARTTLS and port 587 (465 for tls); ca or pin as for POP3', () => {
    const config = validateConfig({
      servers: [
        { id: 'a', host: 'Pop.Example.org', submission: {} },
        { id: 'b', host: 'pop.example.org', submission: { host: 'SMTP.example.org', security: 'tls' } },
        { id: 'c', host: 'pop.example.org', submission: { port: 2525, fingerprint256: 'ab'.repeat(32) } },
        { id: 'd', host: 'pop.example.org' },
      ],
    });
    expect(config.servers.map((s) => s.submission)).toEqual([
      { host: 'pop.example.org', port: 587, security: 'starttls' },
      { host: 'smtp.example.org', port: 465, security: 'tls' },
      { host: 'pop.example.org', port: 2525, security: 'starttls', fingerprint256: `AB${':AB'.repeat(31)}` },
      undefined,
    ]);
    expect(config.anyTargetSubmissionPorts).toEqual([587, 465]);
  });

  it('names the bad key', () => {
    const bad = (submission: unknown) => () =>
      validateConfig({ servers: [{ id: 'a', host: 'pop.example.org', submission }] });
    expect(bad({ user: 'x' })).toThrow(/^servers\[0\]\.submission\.user: unknown key/);
    expect(bad({ port: 0 })).toThrow(/^servers\[0\]\.submission\.port: expected an integer from 1 to 65535/);
    expect(bad({ security: 'ssl' })).toThrow(/^servers\[0\]\.submission\.security: expected "tls"/);
    expect(bad({ host: 'smtp://x' })).toThrow(/^servers\[0\]\.submission\.host: a host name/);
    expect(bad({ ca: 'a.pem', fingerprint256: 'ab'.repeat(32) })).toThrow(
      /^servers\[0\]\.submission: give either "ca" or "fingerprint256"/,
    );
    expect(bad({ security: 'none', ca: 'a.pem' })).toThrow(
      /^servers\[0\]\.submission\.security: "none" has no TLS/,
    );
    expect(bad('smtp.example.org')).toThrow(/^servers\[0\]\.submission: expected an object/);
    expect(() => validateConfig({ anyTargetSubmissionPorts: [] })).toThrow(
      /^anyTargetSubmissionPorts: must not be empty/,
    );
  });

  it('reads WEBPOP_SERVERS_<n>_SUBMISSION_… and WEBPOP_ANY_TARGET_SUBMISSION_PORTS', () => {
    const { config, sources } = readEnvConfig({
      WEBPOP_SERVERS_0_ID: 'a',
      WEBPOP_SERVERS_0_HOST: 'pop.example.org',
      WEBPOP_SERVERS_0_SUBMISSION_HOST: 'smtp.example.org',
      WEBPOP_SERVERS_0_SUBMISSION_PORT: '465',
      WEBPOP_SERVERS_0_SUBMISSION_SECURITY: 'tls',
      WEBPOP_ANY_TARGET_SUBMISSION_PORTS: '587',
    });
    expect(validateConfig(config).servers[0]?.submission).toEqual({
      host: 'smtp.example.org',
      port: 465,
      security: 'tls',
    });
    expect(validateConfig(config).anyTargetSubmissionPorts).toEqual([587]);
    expect(sources.get('servers[0].submission.host')).toBe('WEBPOP_SERVERS_0_SUBMISSION_HOST');
  });
});

describe('the relay to a submission server', () => {
  it('sends through the STARTTLS submission server beside the POP3 server, with the CA checked', async () => {
    const bridge = await startTestBridge({
      servers: [mailServer({ host: '127.0.0.1', port: starttls.port, ca: await caFile() })],
    });
    const transport = await connectSubmissionWebSocketTransport({
      url: bridge.relayUrl,
      target: { server: 'mail' },
      WebSocket: browserLikeWebSocket(bridge.url),
    });
    expect(transport.connected).toMatchObject({ security: 'starttls', service: 'submission', tls: null });
    const client = await openSubmission(transport, {
      security: transport.connected.security,
      credentials: alice,
    });
    const result = await client.send(
      { from: 'alice@example.org', to: ['bob@example.org'] },
      message('via bridge'),
    );
    expect(result.accepted).toEqual(['bob@example.org']);
    await client.quit();
    const received = starttls.messages.at(-1);
    expect(received?.user).toBe('alice');
    expect(Buffer.from(received?.data ?? []).toString()).toContain('Subject: via bridge');

    const log = await bridge.sessionLog();
    expect(log).toMatchObject({
      target: 'mail',
      service: 'submission',
      security: 'starttls',
      closedBy: 'server',
    });
    expect(JSON.stringify(bridge.logs)).not.toContain(alice.password);
  });

  it('implicit TLS (465) with a pinned certificate: connected says submission and the certificate', async () => {
    const fingerprint = new X509Certificate(certificates.certPem).fingerprint256;
    const bridge = await startTestBridge({
      servers: [mailServer({ port: implicit.port, security: 'tls', fingerprint256: fingerprint })],
    });
    const { client, connected } = await RelayClient.connect(bridge.relayUrl, {
      server: 'mail',
      service: 'submission',
    });
    expect(connected).toMatchObject({
      type: 'connected',
      security: 'tls',
      service: 'submission',
      tls: { authorized: true, fingerprint256: fingerprint },
    });
    expect(await client.line()).toMatch(/^220 /);
    client.close();
  });

  it('an old client (no service) still reaches the POP3 server, and its connected frame is as before', async () => {
    const bridge = await startTestBridge({
      servers: [mailServer({ port: starttls.port, ca: await caFile() })],
    });
    const { client, connected } = await RelayClient.connect(bridge.relayUrl, { server: 'mail' });
    expect(connected).toEqual({ type: 'connected', security: 'none', tls: null });
    expect(await client.line()).toMatch(/^\+OK/);
    client.close();
    expect(await bridge.sessionLog()).toMatchObject({ service: 'pop3' });
  });

  it('an unverified submission certificate ends the relay (tls_failed)', async () => {
    const bridge = await startTestBridge({ servers: [mailServer({ port: implicit.port, security: 'tls' })] });
    const client = await RelayClient.open(bridge.relayUrl);
    client.sendControl({ type: 'connect', server: 'mail', service: 'submission' });
    expect(await client.refusal()).toMatchObject({ code: 'tls_failed', closeCode: 4502 });
  });

  it('/api/servers says which servers have a submission server, and nothing of where it is', async () => {
    const bridge = await startTestBridge({
      servers: [
        mailServer({ host: 'smtp.internal.example', port: 2587, ca: await caFile() }),
        { id: 'readonly', host: '127.0.0.1', port: pop3.port, security: 'none' },
      ],
    });
    const response = await fetch(`${bridge.url}/api/servers`);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({
      servers: [
        { id: 'mail', label: 'mail', security: 'none', submission: true },
        { id: 'readonly', label: 'readonly', security: 'none' },
      ],
      allowAnyTarget: false,
      session: { idleMinutes: 30, sharedComputerDefault: false, rememberPasswords: false },
    });
    for (const secret of ['smtp.internal.example', '2587', 'BEGIN']) expect(body).not.toContain(secret);
  });
});

describe('the submission target policy', () => {
  const refusal = async (config: Record<string, unknown>, target: object, resolver = stubResolver({})) => {
    const bridge = await startTestBridge(config, { resolver: resolver.resolver });
    const client = await RelayClient.open(bridge.relayUrl);
    client.sendControl({ type: 'connect', ...target });
    return client.refusal();
  };

  it('only through the submission server beside the named server: none configured is target_denied', async () => {
    expect(
      await refusal({ servers: [mailServer()] }, { server: 'mail', service: 'submission' }),
    ).toMatchObject({
      code: 'target_denied',
      message: 'the server "mail" has no submission server here',
      closeCode: 4003,
    });
    expect(
      await refusal({ servers: [mailServer({})] }, { server: 'other', service: 'submission' }),
    ).toMatchObject({ code: 'target_denied', closeCode: 4003 });
  });

  it('a named host only with allowAnyTarget, on anyTargetSubmissionPorts, and only at public addresses', async () => {
    const named = { host: 'smtp.example.net', port: 587, security: 'starttls', service: 'submission' };
    expect(await refusal({ servers: [] }, named)).toMatchObject({
      code: 'target_denied',
      message: 'this bridge only connects to its configured servers',
    });
    expect(await refusal({ allowAnyTarget: true }, { ...named, port: 25 })).toMatchObject({
      code: 'target_denied',
      message: 'port 25 is not allowed for submission (allowed: 587, 465)',
    });
    // The POP3 ports and the submission ports are separate lists.
    expect(await refusal({ allowAnyTarget: true }, { ...named, service: 'pop3' })).toMatchObject({
      code: 'target_denied',
      message: 'port 587 is not allowed (allowed: 110, 995)',
    });
    const dns = stubResolver({ 'smtp.example.net': ['10.1.2.3'] });
    expect(await refusal({ allowAnyTarget: true }, named, dns)).toMatchObject({
      code: 'address_denied',
      closeCode: 4003,
    });
    expect(dns.queries).toEqual(['smtp.example.net']);
  });

  it('with allowAnyTarget, a named host that a configured submission server names is relayed', async () => {
    const bridge = await startTestBridge({
      allowAnyTarget: true,
      anyTargetSubmissionPorts: [starttls.port],
      servers: [mailServer({ host: '127.0.0.1', port: starttls.port, ca: await caFile() })],
    });
    const { client, connected } = await RelayClient.connect(bridge.relayUrl, {
      host: '127.0.0.1',
      port: starttls.port,
      security: 'starttls',
      service: 'submission',
    });
    expect(connected).toEqual({ type: 'connected', security: 'starttls', tls: null, service: 'submission' });
    expect(await client.line()).toMatch(/^220 /);
    client.close();
  });

  it('refuses a foreign Origin before the upgrade, whatever the service', async () => {
    const bridge = await startTestBridge({ servers: [mailServer({ port: starttls.port })] });
    expect(
      await RelayClient.refusedUpgrade(bridge.relayUrl, { origin: 'https://evil.example' }),
    ).toMatchObject({
      status: 403,
    });
  });
});
