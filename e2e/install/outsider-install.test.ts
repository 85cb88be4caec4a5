// The packages as an outsider gets them: each publishable package packed (its prepack builds it), the
// tarballs installed with npm into a fresh project outside the workspace (third-party dependencies
// from the npm registry), and there: `webpop --version` and `webpop list` against a testkit server,
// `webpop-bridge` serving the webmail, the Playwright fixture in ESM and CommonJS projects on the
// oldest @playwright/test the peer range allows, and the types under NodeNext and Node10.
// Measured: 75 s to 2.5 minutes on the shared 2-core machine, most of it the packing (each prepack builds:
// tsc for six packages and the web app's vite build) and npm's install from the registry.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freeLoopbackPort,
  startPop3Server,
  startSmtpServer,
  type RunningPop3Server,
  type RunningSmtpServer,
} from '@webpop/testkit';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Every package meant for npm: its folder and published name. */
const PUBLISHED = [
  { dir: 'packages/wire', name: '@webpop/wire' },
  { dir: 'packages/mailfile', name: '@webpop/mailfile' },
  { dir: 'packages/pop3', name: '@webpop/pop3' },
  { dir: 'packages/smtp', name: '@webpop/smtp' },
  { dir: 'packages/playwright', name: '@webpop/playwright' },
  { dir: 'apps/cli', name: 'webpop' },
  { dir: 'apps/bridge', name: '@webpop/bridge' },
] as const;
/** The lowest @playwright/test the fixture's peer range admits (and is tested with here). */
const OLDEST_PLAYWRIGHT = '1.52.0';
const PASSWORD = 'outsider-secret';
const MESSAGE = [
  'From: app@example.test',
  'To: outsider@example.test',
  'Subject: Confirm your address',
  'Message-ID: <confirm-1@example.test>',
  'Date: Tue, 01 Dec 2026 10:00:00 +0000',
  '',
  'Your code is 482913.',
  '',
].join('\r\n');

let work: string;
let project: string;
let tarballs: string[];
let pop3: RunningPop3Server;
let smtp: RunningSmtpServer;

const pnpm = (args: string[], cwd: string) =>
  run('npx', ['-y', 'pnpm@10', ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
const inProject = (command: string, args: string[], cwd = project, env: NodeJS.ProcessEnv = {}) =>
  run(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'webpop-outsider-'));
  const packs = join(work, 'packs');
  tarballs = [];
  for (const { dir } of PUBLISHED) {
    const { stdout } = await pnpm(['pack', '--pack-destination', packs], join(repo, dir));
    tarballs.push(stdout.trim().split('\n').at(-1) as string);
  }
  project = join(work, 'project');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'outsider', private: true }));
  await inProject('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...tarballs,
    `@playwright/test@${OLDEST_PLAYWRIGHT}`,
    'typescript@~5.9.3',
    '@types/node@^20',
  ]);
  pop3 = await startPop3Server({
    accounts: [{ username: 'outsider', password: PASSWORD, messages: [new TextEncoder().encode(MESSAGE)] }],
  });
  smtp = await startSmtpServer();
}, 600_000);

afterAll(async () => {
  await pop3?.close();
  await smtp?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('hold dist, README and LICENSE, no sources, no workspace condition or workspace: ranges', async () => {
    for (const tarball of tarballs) {
      const { stdout: listing } = await run('tar', ['tzf', tarball]);
      const files = listing.split('\n').filter(Boolean);
      expect(files, tarball).toContain('package/LICENSE');
      expect(files, tarball).toContain('package/README.md');
      expect(files, tarball).toContain('package/dist/index.js');
      expect(
        files.filter((f) => f.startsWith('package/src/') || f.endsWith('.map')),
        tarball,
      ).toEqual([]);
      const { stdout: manifest } = await run('tar', ['xzf', tarball, '-O', 'package/package.json']);
      expect(manifest, tarball).not.toContain('@webpop/source');
      expect(manifest, tarball).not.toContain('workspace:');
      const parsed = JSON.parse(manifest) as Record<string, unknown>;
      expect(parsed.private, tarball).toBeUndefined();
      expect(parsed, tarball).toMatchObject({
        main: './dist/index.js',
        types: './dist/index.d.ts',
        license: 'MIT',
      });
    }
    const bridge = tarballs.find((t) => t.includes('webpop-bridge')) as string;
    const { stdout: manifest } = await run('tar', ['xzf', bridge, '-O', 'package/package.json']);
    // The bridge needs ws and the wire protocol at run time, nothing for tests.
    expect(Object.keys((JSON.parse(manifest) as { dependencies: object }).dependencies).sort()).toEqual([
      '@webpop/wire',
      'ws',
    ]);
    expect((await run('tar', ['tzf', bridge])).stdout).toContain('package/web/index.html');
  });
});

describe('installed with npm outside the workspace', () => {
  it('webpop --version and webpop list against a POP3 server', async () => {
    const version = await inProject('npx', ['webpop', '--version']);
    expect(version.stdout.trim()).toContain('0.1.0');
    const list = await inProject(
      'npx',
      [
        'webpop',
        'list',
        '--host',
        '127.0.0.1',
        '--port',
        String(pop3.port),
        '--security',
        'none',
        '--allow-plaintext',
        '--user',
        'outsider',
        '--json',
      ],
      project,
      { WEBPOP_PASSWORD: PASSWORD },
    );
    expect(JSON.parse(list.stdout)).toMatchObject([{ subject: 'Confirm your address' }]);
  });

  it('@webpop/smtp sends a message from a plain Node script', async () => {
    const script = [
      "import { connectSmtp } from '@webpop/smtp/node';",
      `const client = await connectSmtp({ host: '127.0.0.1', port: ${smtp.port}, security: 'none' });`,
      "const result = await client.send({ from: 'app@example.test', to: ['outsider@example.test'] },",
      `  new TextEncoder().encode(${JSON.stringify(MESSAGE)}));`,
      'await client.quit();',
      'console.log(result.code);',
    ].join('\n');
    const sent = await inProject('node', ['--input-type=module', '-e', script]);
    expect(sent.stdout.trim()).toBe('250');
    expect(smtp.messages.map((m) => m.data.toString())).toEqual([MESSAGE]);
  });

  it('npx webpop-bridge --config bridge.json serves the webmail it ships', async () => {
    const port = await freeLoopbackPort();
    await writeFile(
      join(project, 'bridge.json'),
      JSON.stringify({
        listen: { host: '127.0.0.1', port },
        servers: [{ id: 'test', host: '127.0.0.1', port: pop3.port, security: 'none' }],
      }),
    );
    // Its own process group: npx runs the bridge as a child, which a signal to npx alone left running.
    const bridge = spawn('npx', ['webpop-bridge', '--config', 'bridge.json'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise((resolve) => bridge.once('exit', resolve));
    try {
      const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
        let stderr = '';
        bridge.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        bridge.once('exit', (code) => reject(new Error(`webpop-bridge exited with ${code}: ${stderr}`)));
        createInterface({ input: bridge.stdout }).on('line', (line) => {
          const record = JSON.parse(line) as Record<string, unknown>;
          if (record.event === 'listening') resolve(record);
        });
      });
      expect(listening.staticDir).toMatch(/node_modules\/@webpop\/bridge\/web$/);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(html).not.toContain('the web app is not built');
      const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(new URL(script as string, `http://127.0.0.1:${port}/`));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      const servers = (await (await fetch(`http://127.0.0.1:${port}/api/servers`)).json()) as {
        servers: unknown[];
      };
      expect(servers.servers).toEqual([{ id: 'test', label: 'test', security: 'none' }]);
    } finally {
      process.kill(-(bridge.pid as number), 'SIGTERM');
      await exited;
    }
  });

  for (const flavour of ['esm', 'cjs'] as const) {
    it(`a Playwright test uses the mailbox fixture (${flavour}, @playwright/test ${OLDEST_PLAYWRIGHT})`, async () => {
      const dir = join(project, flavour);
      await mkdir(join(dir, 'tests'), { recursive: true });
      await writeFile(
        join(dir, 'package.json'),
        JSON.stringify({
          name: `outsider-${flavour}`,
          private: true,
          ...(flavour === 'esm' ? { type: 'module' } : {}),
        }),
      );
      await writeFile(
        join(dir, 'playwright.config.ts'),
        [
          "import { defineConfig } from '@playwright/test';",
          "import type { MailboxTestOptions } from '@webpop/playwright';",
          'export default defineConfig<MailboxTestOptions>({',
          "  reporter: 'line',",
          `  use: { mailbox: { host: '127.0.0.1', port: ${pop3.port}, security: 'none', allowPlaintext: true, username: 'outsider', cleanup: 'none' } },`,
          '});',
        ].join('\n'),
      );
      await writeFile(
        join(dir, 'tests', 'mail.spec.ts'),
        [
          "import { test, expect } from '@webpop/playwright';",
          "test('the confirmation code arrives', async ({ mailbox }) => {",
          '  const message = await mailbox.waitForMessage({ subject: /confirm/i, includeExisting: true, timeout: 10_000 });',
          "  expect(message.code()).toBe('482913');",
          '});',
        ].join('\n'),
      );
      const result = await inProject('npx', ['playwright', 'test'], dir, {
        WEBPOP_POP3_PASSWORD: PASSWORD,
        CI: '1',
      }).catch((error: { stdout: string; stderr: string }) => error);
      expect(`${result.stdout}${result.stderr}`).toMatch(/1 passed/);
    }, 120_000);
  }

  for (const resolution of [
    { module: 'NodeNext', moduleResolution: 'NodeNext' },
    { module: 'CommonJS', moduleResolution: 'Node10' },
  ]) {
    it(`the types resolve with moduleResolution ${resolution.moduleResolution}`, async () => {
      const dir = join(project, `types-${resolution.moduleResolution}`);
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            ...resolution,
            target: 'ES2022',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: ['../node_modules/@types'],
          },
          files: ['use.ts'],
        }),
      );
      await writeFile(
        join(dir, 'use.ts'),
        [
          "import { openSession, type Security } from '@webpop/pop3';",
          "import { connectNodeTransport } from '@webpop/pop3/node';",
          "import { SmtpClient, type SendResult } from '@webpop/smtp';",
          "import { connectSmtp } from '@webpop/smtp/node';",
          "import { connectSubmissionWebSocketTransport } from '@webpop/smtp/browser';",
          "import { test, type MailboxTestOptions } from '@webpop/playwright';",
          "import { startBridge, type RunningBridge } from '@webpop/bridge';",
          "import { isSecurity } from '@webpop/wire';",
          "const security: Security = 'tls';",
          'export const used = [openSession, connectNodeTransport, test, startBridge, isSecurity, security,',
          '  SmtpClient, connectSmtp, connectSubmissionWebSocketTransport];',
          'export type Used = [MailboxTestOptions, RunningBridge, SendResult];',
        ].join('\n'),
      );
      const result = await inProject(join(project, 'node_modules/.bin/tsc'), ['-p', dir]).catch(
        (error: { stdout: string }) => error,
      );
      expect(result.stdout).toBe('');
    }, 120_000);
  }
});
