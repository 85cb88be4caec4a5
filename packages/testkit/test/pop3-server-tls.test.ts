import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificates, type TestCertificates } from '../src/tls/test-certificates.js';
import { RawClient } from './support/raw-client.js';
import { PASSWORD, startTestServer } from './support/server-fixture.js';

let certificates: TestCertificates;
const tlsOptions = () => ({ key: certificates.keyPem, cert: certificates.certPem });

beforeAll(async () => {
  certificates = await createTestCertificates();
});

describe('test certificates', () => {
  it('are a CA and a localhost certificate it signed', () => {
    const ca = new X509Certificate(certificates.caPem);
    const server = new X509Certificate(certificates.certPem);
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('STLS and implicit TLS', () => {
  it('upgrades with STLS; CAPA no longer lists STLS afterwards', async () => {
    const { connect } = await startTestServer({ tls: tlsOptions() });
    const client = await connect();
    await client.readLine();
    expect((await client.multiline('CAPA')).body.toString()).toContain('STLS\r\n');
    expect(await client.command('STLS')).toMatch(/^\+OK/);
    await client.upgradeToTls({ ca: certificates.caPem });
    expect(client.isEncrypted).toBe(true);
    expect((await client.multiline('CAPA')).body.toString()).not.toContain('STLS');
    expect(await client.command('STLS')).toMatch(/^-ERR/);
    await client.command('USER alice');
    expect(await client.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK/);
  });

  it('does not offer STLS without a certificate', async () => {
    const { connect } = await startTestServer();
    const client = await connect();
    await client.readLine();
    expect((await client.multiline('CAPA')).body.toString()).not.toContain('STLS');
    expect(await client.command('STLS')).toMatch(/^-ERR/);
  });

  it('discards commands pipelined after STLS in plaintext', async () => {
    const { server, connect } = await startTestServer({ tls: tlsOptions() });
    const client = await connect();
    await client.readLine();
    client.send(`STLS\r\nUSER alice\r\nPASS ${PASSWORD}\r\n`);
    expect(await client.readLine()).toMatch(/^\+OK/);
    await client.upgradeToTls({ ca: certificates.caPem });
    expect(await client.command('STAT')).toMatch(/^-ERR/);
    expect(server.commandLog.map((entry) => entry.command)).toEqual(['STLS', 'STAT']);
  });

  it('injectAfterStls writes plaintext between +OK and the handshake', async () => {
    const { connect } = await startTestServer({
      tls: tlsOptions(),
      faults: { injectAfterStls: '+OK injected\r\n' },
    });
    const client = await connect();
    await client.readLine();
    expect(await client.command('STLS')).toMatch(/^\+OK Begin/);
    expect(await client.readLine()).toBe('+OK injected');
    await client.upgradeToTls({ ca: certificates.caPem });
    expect(await client.command('NOOP')).toMatch(/^-ERR/);
  });

  it('speaks TLS from the first byte with implicitTls', async () => {
    const { server } = await startTestServer({ tls: tlsOptions(), implicitTls: true });
    expect(server.url).toBe(`pop3s://127.0.0.1:${server.port}`);
    const client = await RawClient.connect(server.port, { tls: { ca: certificates.caPem } });
    try {
      expect(await client.readLine()).toMatch(/^\+OK/);
      expect((await client.multiline('CAPA')).body.toString()).not.toContain('STLS');
      await client.command('USER alice');
      expect(await client.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK/);
    } finally {
      client.close();
    }
  });
});
