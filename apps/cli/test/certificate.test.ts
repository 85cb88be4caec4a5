import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { PASSWORD, webpop } from './helpers.js';
import { standardMailbox } from './messages.js';

let selfSigned: { key: string; cert: string };
let implicit: RunningPop3Server;
let starttls: RunningPop3Server;
let fingerprint: string;

beforeAll(async () => {
  selfSigned = await createSelfSignedCertificate();
  fingerprint = new X509Certificate(selfSigned.cert).fingerprint256;
  const accounts = () => [{ username: 'alice', password: PASSWORD, messages: standardMailbox().slice(0, 2) }];
  implicit = await startPop3Server({ accounts: accounts(), tls: selfSigned, implicitTls: true });
  starttls = await startPop3Server({ accounts: accounts(), tls: selfSigned });
});
afterAll(async () => {
  await Promise.all([implicit.close(), starttls.close()]);
});

const at = (server: RunningPop3Server, ...more: string[]) => [
  '--host',
  '127.0.0.1',
  '--port',
  String(server.port),
  ...more,
];

describe('an untrusted certificate is shown, so the user can decide and pin it', () => {
  it('capa prints its subject, issuer, validity and SHA-256, then fails; pinning that works', async () => {
    const x509 = new X509Certificate(selfSigned.cert);
    const mark = implicit.commandLog.length;
    const result = await webpop(['capa', ...at(implicit)], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        `Server:       127.0.0.1:${implicit.port}`,
        'TLS:          certificate NOT trusted (see the error below): nothing was sent over it',
        '  Subject:     CN=localhost',
        '  Issuer:      CN=localhost (self-signed)',
        `  Valid from:  ${x509.validFrom}`,
        `  Valid until: ${x509.validTo}`,
        `  SHA-256:     ${fingerprint}`,
        '',
        "If this is your server's certificate (compare the SHA-256 with one you got another way, from its",
        `administrator say), pin it: --fingerprint ${fingerprint}`,
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe(
      `webpop: certificate problem (not trusted): TLS with 127.0.0.1:${implicit.port} failed: self-signed certificate; ` +
        `the server's certificate: subject CN=localhost, issuer itself (self-signed), valid ${x509.validFrom} to ` +
        `${x509.validTo}, SHA-256 ${fingerprint} (if the server uses a private CA, trust it with --ca FILE, or pin ` +
        'its certificate with --fingerprint SHA256)\n',
    );
    // Neither the refused link nor the second look at the certificate carried a command.
    expect(implicit.commandLog.slice(mark)).toEqual([]);

    const pinned = await webpop(['capa', ...at(implicit, '--fingerprint', fingerprint)], { env: {} });
    expect(pinned.stderr).toBe('');
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toContain(`  SHA-256:     ${fingerprint}\n`);
  });

  it('over STLS too: the second look sends only STLS', async () => {
    const mark = starttls.commandLog.length;
    const result = await webpop(['capa', ...at(starttls, '--security', 'starttls')], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`  SHA-256:     ${fingerprint}\n`);
    expect(result.stderr).toContain(`SHA-256 ${fingerprint} (if the server uses a private CA`);
    expect(starttls.commandLog.slice(mark).map((entry) => entry.command)).toEqual(['CAPA', 'STLS', 'STLS']);
  });

  it('every command says it in its error line; --json adds the certificate to the error object', async () => {
    const stat = await webpop(['stat', ...at(implicit, '--user', 'alice', '--json')]);
    expect(stat.code).toBe(1);
    const error = JSON.parse(stat.stdout);
    expect(error).toMatchObject({
      exitCode: 1,
      error: expect.stringContaining(`SHA-256 ${fingerprint}`),
      certificate: {
        subject: 'CN=localhost',
        issuer: 'CN=localhost',
        selfSigned: true,
        fingerprint256: fingerprint,
        validFrom: expect.any(String),
        validTo: expect.any(String),
      },
    });
    const capa = await webpop(['capa', ...at(implicit, '--json')], { env: {} });
    expect(Object.keys(JSON.parse(capa.stdout))).toEqual(['error', 'exitCode', 'certificate']);
  });
});

describe('--security starttls (or none) on a port that speaks TLS from the first byte', () => {
  it('is found out soon after connecting, not at the end of --timeout, and points at --security tls', async () => {
    for (const security of ['starttls', 'none']) {
      const result = await webpop([
        'stat',
        ...at(implicit, '--security', security, '--user', 'alice', '--timeout', '600'),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `webpop: 127.0.0.1:${implicit.port} sent no POP3 greeting in 1.5 s and answered a TLS handshake: it speaks ` +
          `TLS from the first byte, as port 995 does, so use --security tls (--security ${security} starts plain)\n`,
      );
    }
  }, 30_000);

  it('a plain server that greets late is only asked once more, and then used', async () => {
    // Greets the first connection only once a second one (the TLS check) has come, and answers that
    // one's ClientHello in plain POP3, which is no TLS.
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
      if (sockets.length === 2) {
        socket.write('+OK not TLS\r\n');
        sockets[0]!.write('+OK slow but plain\r\n');
      }
      socket.on('data', (chunk) => {
        const line = chunk.toString('latin1');
        if (line.startsWith('CAPA')) socket.write('+OK\r\nUSER\r\nTOP\r\nUIDL\r\n.\r\n');
        else if (line.startsWith('QUIT')) socket.end('+OK bye\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const result = await webpop(
        ['capa', '--host', '127.0.0.1', '--port', String(port), '--security', 'none'],
        {
          env: {},
        },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Greeting:     slow but plain\n');
      expect(sockets).toHaveLength(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);
});
