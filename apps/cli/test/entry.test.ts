import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { PASSWORD, serverArgs } from './helpers.js';
import { standardMailbox, subjects } from './messages.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const execFileAsync = promisify(execFile);

/** Runs the real entry point in a child process, as `pnpm webpop` does. */
async function spawnWebpop(argv: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['--conditions=@webpop/source', '--import', 'tsx', 'apps/cli/src/main.ts', ...argv],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { code: failed.code ?? -1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let server: RunningPop3Server;
beforeAll(async () => {
  server = await startPop3Server({
    accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox() }],
  });
});
afterAll(() => server.close());

describe('the webpop entry point (src/main.ts)', () => {
  it('runs list with the password from the environment', async () => {
    const result = await spawnWebpop(['list', ...serverArgs(server), '--json'], {
      WEBPOP_PASSWORD: PASSWORD,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as Array<{ subject: string }>;
    expect(entries.map((entry) => entry.subject)).toContain(subjects.koi8r);
  });

  it('exits 2 on usage errors: --password, or no password and no terminal', async () => {
    const usage = await spawnWebpop(['list', '--password=hunter2'], {});
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--password is not accepted');
    const noPassword = await spawnWebpop(['stat', ...serverArgs(server)], {});
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('no password');
  });

  it('fetch --watch stops cleanly on a real SIGTERM while waiting: exit 0', async () => {
    const root = await mkdtemp(join(tmpdir(), 'webpop-cli-entry-'));
    try {
      const out = join(root, 'out');
      const child = spawn(
        process.execPath,
        ['--conditions=@webpop/source', '--import', 'tsx', 'apps/cli/src/main.ts'].concat([
          'fetch',
          ...serverArgs(server),
          '--out',
          out,
          '--watch',
          '60',
        ]),
        {
          cwd: repoRoot,
          env: {
            PATH: process.env.PATH ?? '',
            WEBPOP_PASSWORD: PASSWORD,
            XDG_STATE_HOME: join(root, 'state'),
          },
        },
      );
      let stderr = '';
      const waiting = new Promise<void>((resolve) =>
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
          if (stderr.includes('webpop: watching: the next check is in 60 min')) resolve();
        }),
      );
      const exited = once(child, 'exit');
      await Promise.race([waiting, exited]);
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(stderr.trimEnd().split('\n').at(-1)).toBe(
        'webpop: stopped (SIGTERM); nothing is left half done',
      );
      expect(code).toBe(0);
      expect(await readdir(out)).toHaveLength(standardMailbox().length);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('pnpm webpop resolves relative paths from the folder it was typed in (INIT_CWD), not the root', async () => {
    const scripts = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')).scripts;
    expect(scripts.webpop).toContain('apps/cli/src/repository-main.ts');
    // A folder inside the repository with no package.json of its own: pnpm finds the root's script
    // from there (node_modules is ignored by git, the linters and the other tests).
    await mkdir(join(repoRoot, 'node_modules', '.cache'), { recursive: true });
    const typedIn = await mkdtemp(join(repoRoot, 'node_modules', '.cache', 'webpop-init-cwd-'));
    try {
      // Under `pnpm test` npm_execpath is pnpm itself; run directly (npx vitest), fetch pnpm as CI does.
      const pnpm = /pnpm/.test(process.env.npm_execpath ?? '')
        ? [process.execPath, process.env.npm_execpath!]
        : ['npx', '-y', 'pnpm@10'];
      const { stderr } = await execFileAsync(
        pnpm[0]!,
        [...pnpm.slice(1), '--silent', 'webpop', 'fetch', ...serverArgs(server), '--out', 'saved'].concat([
          '--state',
          'state.jsonl',
        ]),
        {
          cwd: typedIn,
          env: { ...process.env, WEBPOP_PASSWORD: PASSWORD },
          timeout: 120_000,
        },
      );
      expect(stderr).toContain(`saved ${standardMailbox().length}/${standardMailbox().length}`);
      expect((await readdir(typedIn)).sort()).toEqual(['saved', 'state.jsonl']);
      expect(await readdir(join(typedIn, 'saved'))).toHaveLength(standardMailbox().length);
      await expect(readdir(join(repoRoot, 'saved'))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(typedIn, { recursive: true, force: true });
    }
  }, 150_000);
});
