// The repository's Dockerfile built by podman (`--isolation chroot`, no daemon, no registry: FROM a
// Node base image made here, see support/node-base-image.ts), its image's metadata checked, and its
// root filesystem exported and run under chroot as the image's user (running containers needs cgroups
// this kind of machine lacks): the webmail page, a POP3 session through the relay with the engine, the
// image's own `webpop-bridge healthcheck`, and SIGTERM through tini to a clean exit. compose.yaml is
// checked for what it promises. Where podman, debootstrap or root are missing the suite is skipped and
// its title says why. Measured on the shared 2-core machine: the base image 51–135 s (once; podman's
// store keeps it), the build 35 s, the run a few seconds.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openSession } from '@webpop/pop3';
import { connectWebSocketTransport, type WebSocketConstructor } from '@webpop/pop3/browser';
import { demoAccount, freeLoopbackPort, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { ensureNodeBase } from './support/node-base-image.js';
import { stopAll, tempFiles } from './support/bridge.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const IMAGE = 'localhost/webpop-bridge:test';
const CHROOT = '/usr/sbin/chroot';
const BIG = { maxBuffer: 256 * 1024 * 1024 };

/** Why the image cannot be built and run here, or undefined when it can. */
async function unavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'chroot and podman build need root';
  if (!existsSync(CHROOT)) return `no ${CHROOT}`;
  const podman = await run('podman', ['info', '--format', '{{.Host.OCIRuntime.Name}}']).catch(
    (error: Error) => error,
  );
  if (podman instanceof Error) return `podman does not work here (${podman.message.split('\n')[0]})`;
  const base = await run('podman', ['image', 'exists', 'localhost/webpop-node-base']).catch(() => null);
  if (base === null && !existsSync('/usr/sbin/debootstrap'))
    return 'no debootstrap to make the Node base image';
  return undefined;
}

const reason = await unavailable();
if (reason) console.warn(`container image test skipped: ${reason}`);

let root: string;
let pop3: RunningPop3Server;
let account: Awaited<ReturnType<typeof demoAccount>>;
let config: {
  User?: string;
  Env?: string[];
  Entrypoint?: string[];
  ExposedPorts?: object;
  Healthcheck?: { Test?: string[] };
};
let buildSeconds: number;

beforeAll(async () => {
  if (reason) return;
  const started = Date.now();
  const { image: base } = await ensureNodeBase();
  // docker format: the OCI format has no HEALTHCHECK.
  await run(
    'podman',
    [
      'build',
      '--isolation',
      'chroot',
      '--format',
      'docker',
      '--build-arg',
      `NODE_IMAGE=${base}`,
      '-t',
      IMAGE,
      repo,
    ],
    BIG,
  );
  buildSeconds = (Date.now() - started) / 1000;
  const { stdout } = await run('podman', ['image', 'inspect', IMAGE, '--format', '{{json .Config}}']);
  const { stdout: health } = await run('podman', [
    'image',
    'inspect',
    IMAGE,
    '--format',
    '{{json .HealthCheck}}',
  ]);
  config = {
    ...(JSON.parse(stdout) as typeof config),
    Healthcheck: JSON.parse(health) as { Test?: string[] },
  };
  root = await tempFiles({});
  await chmod(root, 0o755); // the image's user must reach its files
  const { stdout: container } = await run('podman', ['create', IMAGE]);
  const archive = join(await tempFiles({}), 'rootfs.tar');
  try {
    // To a file: podman cannot write an export to a pipe.
    await run('podman', ['export', '-o', archive, container.trim()]);
    await run('tar', ['-x', '-f', archive, '-C', root]);
  } finally {
    await run('podman', ['rm', container.trim()]);
  }
  account = await demoAccount();
  pop3 = await startPop3Server({ accounts: [account] });
}, 900_000);

afterAll(async () => {
  await pop3?.close();
  await stopAll(); // the exported root filesystem too
  if (!reason) console.log(`container image: base and build took ${buildSeconds?.toFixed(0)} s`);
});

/** The image's environment with the listen address moved to a free loopback port of this machine. */
function imageEnv(port: number): Record<string, string> {
  const env: Record<string, string> = Object.fromEntries(
    (config.Env ?? []).map((entry) => [
      entry.slice(0, entry.indexOf('=')),
      entry.slice(entry.indexOf('=') + 1),
    ]),
  );
  // Not PID 1 under chroot: tini reaps as a subreaper instead.
  return { ...env, WEBPOP_LISTEN_HOST: '127.0.0.1', WEBPOP_LISTEN_PORT: String(port), TINI_SUBREAPER: '1' };
}

/** Runs `command` inside the exported root filesystem as the image's user. */
function inImage(command: string[], port: number): ChildProcess {
  return spawn(CHROOT, [`--userspec=${config.User}:${config.User}`, root, ...command], {
    env: imageEnv(port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe.skipIf(reason !== undefined)(`the container image${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('runs as a non-root user under tini, exposes 8080 and checks its health with its own binary', () => {
    expect(config.User).toBe('webpop');
    expect(config.Entrypoint).toEqual(['/usr/bin/tini', '--', 'webpop-bridge']);
    expect(Object.keys(config.ExposedPorts ?? {})).toEqual(['8080/tcp']);
    expect(config.Healthcheck?.Test).toEqual(['CMD', 'webpop-bridge', 'healthcheck']);
  });

  it('holds the installed package only: no sources, build tools or test helpers', async () => {
    expect(existsSync(join(root, 'src'))).toBe(false);
    const modules = await readdir(join(root, 'opt/webpop/node_modules'));
    // bufferutil (with node-gyp-build, its loader) is the bridge's optional native masking for ws.
    expect(modules.sort()).toEqual([
      '.bin',
      '.package-lock.json',
      '@webpop',
      'bufferutil',
      'node-gyp-build',
      'ws',
    ]);
    expect((await readdir(join(root, 'opt/webpop/node_modules/@webpop'))).sort()).toEqual(['bridge', 'wire']);
  });

  it('masks WebSocket frames natively: the ws the bridge loads finds bufferutil’s prebuilt binary', async () => {
    // ws requires bufferutil from its own folder; bufferutil falls back to JavaScript when its binary
    // does not load, so the check is that `mask` is native code.
    const script =
      "const ws = require.resolve('ws', { paths: ['/opt/webpop/node_modules/@webpop/bridge'] });" +
      "const { mask } = require(require.resolve('bufferutil', { paths: [ws] }));" +
      'process.stdout.write(String(/native code/.test(mask.toString())));';
    const { stdout } = await run(
      CHROOT,
      [`--userspec=${config.User}:${config.User}`, root, 'node', '-e', script],
      {
        env: imageEnv(await freeLoopbackPort()),
      },
    );
    expect(stdout).toBe('true');
  });

  it('serves the webmail and relays a POP3 session from its root filesystem, then stops on SIGTERM', async () => {
    const port = await freeLoopbackPort();
    await writeFile(
      join(root, 'etc/webpop/bridge.json'),
      JSON.stringify({ servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }] }),
    );
    const bridge = inImage(['/usr/bin/tini', '--', ...(config.Entrypoint ?? []).slice(2)], port);
    const exited = new Promise<number | null>((resolve) => bridge.once('exit', resolve));
    const lines: Array<Record<string, unknown>> = [];
    let stderr = '';
    bridge.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
      bridge.once('exit', (code) => reject(new Error(`the bridge exited with ${code}: ${stderr}`)));
      createInterface({ input: bridge.stdout! }).on('line', (line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        lines.push(record);
        if (record.event === 'listening') resolve(record);
      });
    });
    expect(listening.staticDir).toBe('/opt/webpop/node_modules/@webpop/bridge/web');

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const transport = await connectWebSocketTransport({
      url: `ws://127.0.0.1:${port}/pop3`,
      target: { server: 'demo' },
      WebSocket: class extends WebSocket {
        constructor(url: string) {
          super(url, { origin: `http://127.0.0.1:${port}` });
        }
      } as unknown as WebSocketConstructor,
    });
    const client = await openSession(transport, {
      security: 'none',
      credentials: { username: account.username, password: account.password, allowPlaintext: true },
    });
    expect(await client.list()).toHaveLength(account.messages.length);
    await client.quit();

    const check = inImage(['webpop-bridge', 'healthcheck'], port);
    expect(await new Promise((resolve) => check.once('exit', resolve))).toBe(0);

    bridge.kill('SIGTERM'); // to tini, which passes it on
    expect(await exited).toBe(0);
    expect(lines.map((line) => line.event)).toEqual(['listening', 'session', 'draining', 'stopped']);
  });

  it('compose.yaml binds loopback, mounts the configuration read-only and keeps the root read-only', async () => {
    const compose = await readFile(join(repo, 'compose.yaml'), 'utf8');
    expect(compose).toMatch(/^\s+- '127\.0\.0\.1:8080:8080'$/m);
    expect(compose).toMatch(/^\s+- \.\/bridge\.json:\/etc\/webpop\/bridge\.json:ro$/m);
    expect(compose).toMatch(/^\s+read_only: true$/m);
    const grace = Number(/stop_grace_period: (\d+)s/.exec(compose)?.[1]);
    expect(grace).toBeGreaterThan(30 + 2);
  });
});
