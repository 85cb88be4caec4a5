// A Node base image made on this machine, for building the Dockerfile where no image registry is
// reachable: a minimal Debian root filesystem from debootstrap (Debian's own packages) plus this
// machine's Node.js and npm, imported into podman. Made once per Node version and Debian release; the
// image in podman's store is the cache (measured: debootstrap 37 s, the import a few seconds).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const DEBIAN_RELEASE = 'bookworm';
const MACHINE_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const DEBIAN_MIRROR = process.env.WEBPOP_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

/** The image name for this machine's Node version. */
export function nodeBaseImage(): string {
  return `localhost/webpop-node-base:${process.versions.node}-${DEBIAN_RELEASE}`;
}

/** Whether `podman image exists` says yes. */
async function imageExists(image: string): Promise<boolean> {
  return run('podman', ['image', 'exists', image]).then(
    () => true,
    () => false,
  );
}

/** The base image, made now unless podman has it; returns its name and whether it was made. */
export async function ensureNodeBase(): Promise<{ image: string; made: boolean }> {
  const image = nodeBaseImage();
  if (await imageExists(image)) return { image, made: false };
  const root = await mkdtemp(join(tmpdir(), 'webpop-node-base-'));
  try {
    await run('debootstrap', ['--variant=minbase', DEBIAN_RELEASE, root, DEBIAN_MIRROR], {
      maxBuffer: 64 * 1024 * 1024,
    });
    // Node's own layout, as the official images have it: /usr/local/bin/node and npm beside it.
    const npmDir = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
    await cp(process.execPath, join(root, 'usr/local/bin/node'));
    await cp(npmDir, join(root, 'usr/local/lib/node_modules/npm'), { recursive: true });
    await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'));
    await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'usr/local/bin/npx'));
    // This machine's trust store, so npm inside the build reaches the registry the way npm here does
    // (through a TLS-intercepting proxy, if this machine has one); the public roots otherwise.
    const changes = ['CMD ["node"]'];
    if (existsSync(MACHINE_CA_BUNDLE)) {
      await mkdir(join(root, 'etc/ssl/certs'), { recursive: true });
      await cp(MACHINE_CA_BUNDLE, join(root, MACHINE_CA_BUNDLE));
      changes.push(`ENV NODE_EXTRA_CA_CERTS=${MACHINE_CA_BUNDLE}`);
    }
    await importRoot(root, image, changes);
    return { image, made: true };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** `tar -C root -c . | podman import - image`, with the command the official images have. */
function importRoot(root: string, image: string, changes: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const args = changes.flatMap((change) => ['--change', change]);
    const podman = spawn('podman', ['import', ...args, '-', image], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    podman.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    tar.stdout.pipe(podman.stdin);
    tar.on('error', reject);
    podman.on('error', reject);
    podman.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`podman import failed (${code}): ${stderr.trim()}`)),
    );
  });
}
