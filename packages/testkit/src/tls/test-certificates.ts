import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  /** PEM of the throwaway CA: pass it as `ca` to tls.connect to verify the server. */
  caPem: string;
  /** PEM key and certificate of the server (CN=localhost, SAN DNS:localhost and IP:127.0.0.1). */
  keyPem: string;
  certPem: string;
  /** Where the PEM files are, when a directory was given. */
  files?: { ca: string; key: string; cert: string };
}

// Our own config, so the result does not depend on the system's openssl.cnf.
const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = webpop testkit
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Creates a test CA and a server certificate for localhost signed by it, with the openssl CLI.
 * With `dir`, the files (ca.pem, server.key, server.pem) stay there; otherwise a temp dir is used and removed.
 */
export async function createTestCertificates(
  options: { dir?: string; days?: number } = {},
): Promise<TestCertificates> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'webpop-certs-')));
  const days = String(options.days ?? 7);
  const path = (name: string): string => join(dir, name);
  try {
    await writeFile(path('openssl.cnf'), OPENSSL_CONFIG);
    const config = ['-config', path('openssl.cnf')];
    await openssl([
      'req',
      ...config,
      '-x509',
      ...EC_KEY,
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.pem'),
      '-days',
      days,
      '-subj',
      '/CN=webpop testkit throwaway CA',
      '-extensions',
      'ca_ext',
    ]);
    await openssl([
      'req',
      ...config,
      '-new',
      ...EC_KEY,
      '-keyout',
      path('server.key'),
      '-out',
      path('server.csr'),
      '-subj',
      '/CN=localhost',
    ]);
    await openssl([
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      days,
      '-out',
      path('server.pem'),
      '-extfile',
      path('openssl.cnf'),
      '-extensions',
      'server_ext',
    ]);
    const [caPem, keyPem, certPem] = await Promise.all(
      ['ca.pem', 'server.key', 'server.pem'].map((name) => readFile(path(name), 'utf8')),
    );
    await Promise.all(['ca.key', 'server.csr', 'openssl.cnf'].map((name) => rm(path(name), { force: true })));
    const result: TestCertificates = { caPem: caPem ?? '', keyPem: keyPem ?? '', certPem: certPem ?? '' };
    if (options.dir) result.files = { ca: path('ca.pem'), key: path('server.key'), cert: path('server.pem') };
    return result;
  } finally {
    if (!options.dir) await rm(dir, { recursive: true, force: true });
  }
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 20_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(error)}`);
  }
}

/** A self-signed certificate for localhost (SAN DNS:localhost, IP:127.0.0.1): trusted by nobody. */
export async function createSelfSignedCertificate(days = 2): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'webpop-self-signed-'));
  try {
    await openssl([
      'req',
      '-x509',
      ...EC_KEY,
      '-days',
      String(days),
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    return {
      key: await readFile(join(dir, 'key.pem'), 'utf8'),
      cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
