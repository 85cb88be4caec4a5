// TLS to the mail server (implicit and STLS, CA file or pinned fingerprint, name checks), the STARTTLS
// injection refusal, and wss to the bridge itself. Everything on loopback with throwaway certificates.
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createSelfSignedCertificate,
  createTestCertificates,
  startPop3Server,
  type RunningPop3Server,
  type TestCertificates,
} from '@webpop/testkit';
import { RelayClient } from './support/relay-client.js';
import { startTestBridge, stopAll, stubResolver, tempFiles } from './support/bridge.js';

let certificates: TestCertificates;
let selfSigned: { key: string; cert: string };
let implicit: RunningPop3Server;
let stls: RunningPop3Server;
let caFile: string;
const account = {
  username: 'alice',
  password: 'pw',
  messages: [Buffer.from('Subject: hi\r\n\r\nhello\r\n')],
};

beforeAll(async () => {
  certificates = await createTestCertificates();
  selfSigned = await createSelfSignedCertificate();
  const serverTls = { key: certificates.keyPem, cert: certificates.certPem };
  implicit = await startPop3Server({ accounts: [account], tls: serverTls, implicitTls: true });
  stls = await startPop3Server({ accounts: [account], tls: serverTls });
});

afterAll(async () => {
  await implicit?.close();
  await stls?.close();
});

afterEach(stopAll);

async function withCa(): Promise<string> {
  caFile = join(await tempFiles({ 'ca.pem': certificates.caPem }), 'ca.pem');
  return caFile;
}

describe('TLS to the mail server', () => {
  it('implicit TLS verified with the configured CA; the connected frame reports the certificate', async () => {
    const bridge = await startTestBridge({
      servers: [{ id: 'pop3s', host: '127.0.0.1', port: implicit.port, security: 'tls', ca: await withCa() }],
    });
    const { client, connected } = await RelayClient.connect(bridge.relayUrl, { server: 'pop3s' });
    const fingerprint = new X509Certificate(certificates.certPem).fingerprint256;
    expect(connected).toMatchObject({
      type: 'connected',
      security: 'tls',
      tls: {
        protocol: 'TLSv1.3',
        cipher: expect.stringMatching(/^TLS_/),
        authorized: true,
        subject: expect.stringContaining('CN=localhost'),
        issuer: expect.stringContaining('CN=webpop testkit'),
        validTo: expect.stringMatching(/GMT$/),
        fingerprint256: fingerprint,
      },
    });
    expect(Object.keys(connected.tls as object).sort()).toEqual(
      ['authorized', 'cipher', 'fingerprint256', 'issuer', 'protocol', 'subject', 'validTo'].sort(),
    );
    expect(await client.line()).toMatch(/^\+OK/);
    client.command('QUIT');
    expect(await client.line()).toMatch(/^\+OK/);
    expect((await client.closed).code).toBe(1000);
  });

  it('a CA-signed certificate without the CA configured: tls_failed, 4502', async () => {
    const bridge = await startTestBridge({
      servers: [{ id: 'pop3s', host: '127.0.0.1', port: implicit.port, security: 'tls' }],
    });
    const client = await RelayClient.open(bridge.relayUrl);
    client.sendControl({ type: 'connect', server: 'pop3s' });
    expect(await client.refusal()).toMatchObject({ code: 'tls_failed', closeCode: 4502 });
  });

  it('builds one secure context per configured CA for many relays, and lends it to no other server', async () => {
    const otherCa = join(
      await tempFiles({ 'other.pem': (await createTestCertificates()).caPem }),
      'other.pem',
    );
    const bridge = await startTestBridge({
      servers: [
        { id: 'pop3s', host: '127.0.0.1', port: implicit.port, security: 'tls', ca: await withCa() },
        { id: 'other', host: '127.0.0.1', port: implicit.port, security: 'tls', ca: otherCa },
      ],
    });
    // Counts the bridge's own contexts and any tls.connect builds when given `ca` instead of one.
    const built = vi.spyOn(tls, 'createSecureContext');
    try {
      for (let n = 0; n < 3; n++) {
        const { client, connected } = await RelayClient.connect(bridge.relayUrl, { server: 'pop3s' });
        expect(connected).toMatchObject({ tls: { authorized: true } });
        expect(await client.line()).toMatch(/^\+OK/);
        client.command('QUIT');
        await client.closed;
      }
      expect(built.mock.calls.length).toBeLessThanOrEqual(1);
      const client = await RelayClient.open(bridge.relayUrl);
      client.sendControl({ type: 'connect', server: 'other' });
      expect(await client.refusal()).toMatchObject({ code: 'tls_failed', closeCode: 4502 });
    } finally {
      built.mockRestore();
    }
  });

  it('a self-signed certificate with no ca: tls_failed, 4502; pinned by fingerprint256: accepted', async () => {
    const server = await startPop3Server({ accounts: [account], tls: selfSigned, implicitTls: true });
    try {
      const pin = new X509Certificate(selfSigned.cert).fingerprint256;
      const bridge = await startTestBridge({
        servers: [
          { id: 'unpinned', host: '127.0.0.1', port: server.port, security: 'tls' },
          {
            id: 'pinned',
            host: '127.0.0.1',
            port: server.port,
            security: 'tls',
            fingerprint256: pin.toLowerCase(),
          },
          {
            id: 'wrong-pin',
            host: '127.0.0.1',
            port: server.port,
            security: 'tls',
            fingerprint256: '00'.repeat(32),
          },
        ],
      });
      const unpinned = await RelayClient.open(bridge.relayUrl);
      unpinned.sendControl({ type: 'connect', server: 'unpinned' });
      expect(await unpinned.refusal()).toMatchObject({
        code: 'tls_failed',
        closeCode: 4502,
        message: expect.stringMatching(/self[- ]signed/),
      });

      const { client, connected } = await RelayClient.connect(bridge.relayUrl, { server: 'pinned' });
      expect(connected.tls).toMatchObject({ authorized: true, fingerprint256: pin });
      expect(await client.line()).toMatch(/^\+OK/);
      client.close();

      const wrong = await RelayClient.open(bridge.relayUrl);
      wrong.sendControl({ type: 'connect', server: 'wrong-pin' });
      expect(await wrong.refusal()).toMatchObject({
        code: 'tls_failed',
        message: expect.stringContaining('pinned fingerprint'),
      });
    } finally {
      await server.close();
    }
  });

  it('checks the configured host name against the certificate while connecting to the resolved address', async () => {
    const { resolver } = stubResolver({ localhost: ['127.0.0.1'], 'pop.example.test': ['127.0.0.1'] });
    const ca = await withCa();
    const bridge = await startTestBridge(
      {
        servers: [
          { id: 'right-name', host: 'localhost', port: implicit.port, security: 'tls', ca },
          { id: 'wrong-name', host: 'pop.example.test', port: implicit.port, security: 'tls', ca },
        ],
      },
      { resolver },
    );
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'right-name' });
    client.close();
    const wrong = await RelayClient.open(bridge.relayUrl);
    wrong.sendControl({ type: 'connect', server: 'wrong-name' });
    expect(await wrong.refusal()).toMatchObject({
      code: 'tls_failed',
      message: expect.stringMatching(/pop\.example\.test.*(altnames|does not match)/),
    });
  });

  it('STLS: starttls after the +OK upgrades the socket and is answered by a tls frame; a second one is refused', async () => {
    const bridge = await startTestBridge({
      servers: [{ id: 'stls', host: '127.0.0.1', port: stls.port, security: 'starttls', ca: await withCa() }],
    });
    const { client, connected } = await RelayClient.connect(bridge.relayUrl, { server: 'stls' });
    expect(connected).toEqual({ type: 'connected', security: 'starttls', tls: null });
    expect(await client.line()).toMatch(/^\+OK/);
    client.command('STLS');
    expect(await client.line()).toMatch(/^\+OK/);
    client.sendControl({ type: 'starttls' });
    expect(await client.nextControl()).toMatchObject({
      type: 'tls',
      tls: { protocol: 'TLSv1.3', authorized: true, subject: expect.stringContaining('CN=localhost') },
    });
    client.command('USER alice');
    expect(await client.line()).toMatch(/^\+OK/);
    client.command('PASS pw');
    expect(await client.line()).toMatch(/^\+OK/);
    client.command('RETR 1');
    expect(await client.line()).toMatch(/^\+OK/);
    expect((await client.multiline()).toString()).toBe('Subject: hi\r\n\r\nhello\r\n');
    client.sendControl({ type: 'starttls' });
    expect(await client.refusal()).toMatchObject({
      code: 'protocol_error',
      closeCode: 4001,
      message: 'starttls may only be sent once',
    });
  });

  it('STARTTLS injection: plaintext from the server after starttls and before the handshake: protocol_error', async () => {
    // A server that answers STLS and then, instead of the TLS handshake, sends a plaintext "reply".
    const server = net.createServer((socket) => {
      socket.write('+OK ready\r\n');
      socket.on('data', (data) => {
        if (String(data).startsWith('STLS')) socket.write('+OK Begin TLS\r\n');
        // The bridge's TLS ClientHello (a handshake record, 0x16) is answered in plaintext.
        else if (data[0] === 0x16) socket.write('+OK injected\r\n');
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const bridge = await startTestBridge({
        servers: [{ id: 'evil', host: '127.0.0.1', port, security: 'starttls' }],
      });
      const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'evil' });
      expect(await client.line()).toBe('+OK ready');
      client.command('STLS');
      expect(await client.line()).toBe('+OK Begin TLS');
      client.sendControl({ type: 'starttls' });
      expect(await client.refusal()).toMatchObject({
        code: 'protocol_error',
        closeCode: 4001,
        message: expect.stringContaining('STARTTLS injection'),
      });
      expect((await bridge.sessionLog()).bytesToClient).toBe('+OK ready\r\n+OK Begin TLS\r\n'.length);
    } finally {
      server.close();
    }
  });

  it('serves wss itself with tls.cert and tls.key', async () => {
    const dir = await tempFiles({ 'key.pem': certificates.keyPem, 'cert.pem': certificates.certPem });
    const bridge = await startTestBridge({
      servers: [{ id: 'stls', host: '127.0.0.1', port: stls.port, security: 'starttls' }],
      tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') },
    });
    expect(bridge.relayUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/pop3$/);
    const { client } = await RelayClient.connect(
      bridge.relayUrl,
      { server: 'stls' },
      { ca: certificates.caPem },
    );
    expect(await client.line()).toMatch(/^\+OK/);
    client.close();
    const response = await fetchWithCa(`${bridge.url}/healthz`);
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000');
  });
});

async function fetchWithCa(url: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: certificates.caPem }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      })
      .on('error', reject);
  });
}
