import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fromRoot, repoRoot } from './paths.js';

export interface BridgeProcess {
  readonly pid: number;
  /** `http://127.0.0.1:<port>`: the origin the bridge accepts WebSockets from. */
  readonly url: string;
  /** `ws://127.0.0.1:<port>/pop3`. */
  readonly relayUrl: string;
  /** Session log lines whose reason was not a normal end. */
  readonly failures: string[];
  stop(): Promise<void>;
}

let built = false;

/** Compiles the bridge (tsc -b, incremental) so it runs as in production: `node dist/main.js`. */
function buildBridge(): void {
  if (built) return;
  execFileSync(process.execPath, [fromRoot('node_modules/typescript/bin/tsc'), '-b', 'apps/bridge'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  built = true;
}

const normalEnds = new Set(['closed', 'client_closed']);

/**
 * Runs the built bridge (`webpop-bridge --config FILE`) in its own process, so its memory is its own,
 * on an ephemeral loopback port. `config` is the JSON configuration; listen is set here.
 */
export async function startBridgeProcess(config: Record<string, unknown>): Promise<BridgeProcess> {
  buildBridge();
  const dir = await mkdtemp(join(tmpdir(), 'webpop-bench-bridge-'));
  const configFile = join(dir, 'bridge.json');
  await writeFile(configFile, JSON.stringify({ ...config, listen: { host: '127.0.0.1', port: 0 } }));
  const child: ChildProcess = spawn(
    process.execPath,
    [fromRoot('apps/bridge/dist/main.js'), '--config', configFile],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const failures: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bridge did not start: ${stderr}`)), 20_000);
    void exited.then(() => reject(new Error(`the bridge exited: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const record = JSON.parse(line) as { event?: string; url?: string; reason?: string };
      if (record.event === 'listening' && record.url) {
        clearTimeout(timer);
        resolve(record.url);
      } else if (record.event === 'session' && record.reason && !normalEnds.has(record.reason)) {
        failures.push(record.reason);
      }
    });
  }).catch(async (error: unknown) => {
    kill();
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    pid: child.pid!,
    url,
    relayUrl: `${url.replace(/^http/, 'ws')}/pop3`,
    failures,
    stop: async () => {
      kill();
      await exited;
      process.removeListener('exit', kill);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
