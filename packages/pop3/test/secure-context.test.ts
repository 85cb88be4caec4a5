// The Node transport's cached TLS secure contexts: one per distinct set of extra CAs, reused, and
// trusting exactly what it was built with (a cached context never lends one server's CA to another).
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { createTestCertificates, type TestCertificates } from '@webpop/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Pop3TlsError } from '../src/errors.js';
import { connectNodeTransport } from '../src/node/node-transport.js';
import { cachedSecureContexts, secureContextFor } from '../src/node/secure-context.js';

let ours: TestCertificates;
let other: TestCertificates;
let server: tls.Server;
let port: number;

beforeAll(async () => {
  [ours, other] = await Promise.all([createTestCertificates(), createTestCertificates()]);
  server = tls.createServer({ key: ours.keyPem, cert: ours.certPem }, (socket) => socket.end('+OK\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('secureContextFor', () => {
  it('gives no context without extra CAs (Node’s default one serves)', () => {
    expect(secureContextFor([])).toBeUndefined();
  });

  it('gives one context per set of CAs, whether each PEM comes as a string or a Buffer', () => {
    const first = secureContextFor([ours.caPem]);
    expect(secureContextFor([Buffer.from(ours.caPem)])).toBe(first);
    expect(secureContextFor([ours.caPem, other.caPem])).not.toBe(first);
    expect(secureContextFor([other.caPem])).not.toBe(first);
    expect(secureContextFor([ours.caPem, other.caPem])).toBe(secureContextFor([ours.caPem, other.caPem]));
  });
});

describe('the Node transport with a configured CA', () => {
  const connect = (ca: string) =>
    connectNodeTransport({ host: '127.0.0.1', port, security: 'tls', ca, connectTimeoutMs: 10_000 });

  it('verifies the server through the cached context, building it once for many connections', async () => {
    // Counts ours and the ones tls.connect builds itself when it is given `ca` instead of a context.
    const built = vi.spyOn(tls, 'createSecureContext');
    try {
      for (let n = 0; n < 3; n++) {
        const transport = await connect(`${ours.caPem}\n`);
        expect(transport.tls?.authorized).toBe(true);
        transport.close();
      }
      expect(built).toHaveBeenCalledTimes(1);
      expect(cachedSecureContexts()).toBeGreaterThan(0);
    } finally {
      built.mockRestore();
    }
  });

  it('still refuses a server whose CA is not the one given, after that CA’s context was cached', async () => {
    await connect(ours.caPem).then((transport) => transport.close());
    await expect(connect(other.caPem)).rejects.toBeInstanceOf(Pop3TlsError);
  });
});
