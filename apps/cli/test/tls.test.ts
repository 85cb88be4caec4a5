import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestCertificates,
  startPop3Server,
  type RunningPop3Server,
  type TestCertificates,
} from '@webpop/testkit';
import { PASSWORD, webpop, withTempDir } from './helpers.js';
import { standardMailbox, subjects } from './messages.js';

let certificates: TestCertificates;
let starttls: RunningPop3Server;
let implicit: RunningPop3Server;
let plainOnly: RunningPop3Server;

beforeAll(async () => {
  certificates = await createTestCertificates();
  const tls = { key: certificates.keyPem, cert: certificates.certPem };
  const accounts = () => [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }];
  starttls = await startPop3Server({ accounts: accounts(), tls });
  implicit = await startPop3Server({ accounts: accounts(), tls, implicitTls: true });
  plainOnly = await startPop3Server({ accounts: accounts() });
});
afterAll(async () => {
  await Promise.all([starttls.close(), implicit.close(), plainOnly.close()]);
});

async function withCa<T>(use: (caFile: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, certificates.caPem);
    return use(caFile);
  });
}

describe('webpop capa', () => {
  it('after STLS: greeting, TLS details and the capabilities, with no login', async () => {
    await withCa(async (caFile) => {
      const mark = starttls.commandLog.length;
      const result = await webpop(
        [
          'capa',
          '--host',
          '127.0.0.1',
          '--port',
          String(starttls.port),
          '--security',
          'starttls',
          '--ca',
          caFile,
        ],
        { env: {} },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const out = result.stdout;
      expect(out).toMatch(/^Server: +127\.0\.0\.1:\d+\nGreeting: +webpop-testkit POP3 server ready/);
      expect(out).toMatch(/TLS: +TLSv1\.[23], \S+, certificate verified/);
      expect(out).toContain('  Subject:     CN=localhost\n');
      expect(out).toContain('  Issuer:      CN=webpop testkit throwaway CA\n');
      expect(out).toMatch(/ {2}Valid until: \w+ +\d+ [\d:]+ \d{4} GMT\n/);
      expect(out).toContain('Capabilities (after STLS):\n  TOP\n  UIDL\n  USER\n');
      expect(out).not.toContain('  STLS\n');
      const commands = starttls.commandLog.slice(mark).map((entry) => entry.command);
      expect(commands).toEqual(['CAPA', 'STLS', 'CAPA', 'QUIT']);
    });
  });

  it('without encryption shows STLS among the capabilities; --json', async () => {
    const result = await webpop([
      'capa',
      '--host',
      '127.0.0.1',
      '--port',
      String(starttls.port),
      '--security',
      'none',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const capa = JSON.parse(result.stdout);
    expect(capa.tls).toBeNull();
    expect(capa.capabilities).toContain('STLS');
    expect(capa.greeting).toMatch(/^webpop-testkit POP3 server ready/);
  });

  it('--security starttls with a server that has no STLS is an error', async () => {
    const result = await webpop([
      'capa',
      '--host',
      '127.0.0.1',
      '--port',
      String(plainOnly.port),
      '--security',
      'starttls',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^webpop: the server at 127\.0\.0\.1:\d+ cannot do this: the server does not offer STLS/,
    );
  });
});

describe('TLS', () => {
  it('list over implicit TLS, trusting the test CA with --ca', async () => {
    await withCa(async (caFile) => {
      const result = await webpop([
        'list',
        '--host',
        '127.0.0.1',
        '--port',
        String(implicit.port),
        '--ca',
        caFile,
        '--user',
        'alice',
        '--auth',
        'plain',
        '--json',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)[0].subject).toBe(subjects.koi8r);
    });
  });

  it('an untrusted certificate is a certificate problem that points at --ca', async () => {
    const result = await webpop([
      'stat',
      '--host',
      '127.0.0.1',
      '--port',
      String(implicit.port),
      '--user',
      'alice',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^webpop: certificate problem \(not trusted\): TLS with 127\.0\.0\.1:\d+ failed: .*\(if the server uses a private CA, trust it with --ca FILE, or pin its certificate with --fingerprint SHA256\)\n$/,
    );
  });

  it('a --ca file that cannot be read', async () => {
    const result = await webpop([
      'stat',
      '--host',
      '127.0.0.1',
      '--port',
      String(implicit.port),
      '--user',
      'alice',
      '--ca',
      '/nonexistent/ca.pem',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^webpop: cannot read the CA file \/nonexistent\/ca\.pem: ENOENT/);
  });
});

describe('--fingerprint (pinning the server certificate)', () => {
  const pinned = () => new X509Certificate(certificates.certPem).fingerprint256;
  const wrong = 'AB:'.repeat(31) + 'AB';
  const statArgs = (server: RunningPop3Server, ...extra: string[]) => [
    'stat',
    '--host',
    '127.0.0.1',
    '--port',
    String(server.port),
    '--user',
    'alice',
    '--auth',
    'plain',
    ...extra,
  ];

  it('accepts the pinned certificate without --ca (it replaces the CA check), in any spelling', async () => {
    for (const spelling of [pinned(), pinned().replace(/:/g, '').toLowerCase()]) {
      const result = await webpop([...statArgs(implicit, '--fingerprint', spelling), '--json']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ count: 6 });
    }
    const capa = await webpop(
      ['capa', '--host', '127.0.0.1', '--port', String(starttls.port), '--security', 'starttls'].concat([
        '--fingerprint',
        pinned(),
      ]),
      { env: {} },
    );
    expect(capa.code).toBe(0);
    expect(capa.stdout).toContain(`  SHA-256:     ${pinned()}`);
  });

  it('refuses another certificate, even one a trusted CA signed, before anything is sent', async () => {
    await withCa(async (caFile) => {
      for (const server of [implicit, starttls]) {
        const mark = server.commandLog.length;
        const security = server === starttls ? ['--security', 'starttls'] : [];
        const result = await webpop(statArgs(server, '--ca', caFile, '--fingerprint', wrong, ...security));
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          `webpop: certificate problem (not the one pinned with --fingerprint): TLS with 127.0.0.1:${server.port} ` +
            `failed: the server's certificate has the SHA-256 fingerprint ${pinned()}, not the one pinned ` +
            '(if the server has a new certificate, check it another way before pinning its fingerprint)\n',
        );
        // Over STLS only the plain CAPA and STLS went before the handshake; never USER, PASS or AUTH.
        expect(server.commandLog.slice(mark).map((entry) => entry.command)).toEqual(
          server === starttls ? ['CAPA', 'STLS'] : [],
        );
      }
    });
  });

  it('a fingerprint that is not 64 hex digits is a usage error', async () => {
    const result = await webpop(statArgs(implicit, '--fingerprint', 'SHA256:abc'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^webpop: --fingerprint must be a SHA-256 fingerprint: 64 hex digits/);
  });

  it('a --ca file with a private key and no certificate says so', async () => {
    await withTempDir(async (dir) => {
      const keyFile = join(dir, 'key.pem');
      await writeFile(keyFile, certificates.keyPem);
      const result = await webpop(statArgs(implicit, '--ca', keyFile));
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `webpop: the CA file ${keyFile} holds no certificate (no "-----BEGIN CERTIFICATE-----" block); ` +
          'it holds a private key: --ca wants the CA certificate, never a key\n',
      );
    });
  });
});
