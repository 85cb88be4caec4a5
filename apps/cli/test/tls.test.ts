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
      /^webpop: certificate problem \(not trusted\): TLS with 127\.0\.0\.1:\d+ failed: .*\(if the server uses a private CA, trust it with --ca FILE\)\n$/,
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
