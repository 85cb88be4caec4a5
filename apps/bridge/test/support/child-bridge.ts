import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const mainTs = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ChildBridge {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly relayUrl: string;
  /** The configuration file it was started with (rewrite it and send SIGHUP to reload). */
  readonly configFile: string;
  /** Every stdout line, parsed (the bridge logs JSON lines). */
  readonly lines: Array<Record<string, unknown>>;
  readonly stderr: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resident set size of the bridge process, from /proc. */
  rssBytes(): number;
  /** A gauge or counter from its /metrics. */
  metric(name: string): Promise<number>;
  /** Waits for a log line matching `predicate`. */
  waitForLine(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

const children = new Set<ChildBridge>();
// A failed test must not leave a bridge running.
process.once('exit', () => {
  for (const bridge of children) bridge.child.kill('SIGKILL');
});

/** Stops every bridge spawnBridge started and that is still running. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((bridge) => bridge.stop()));
}

/**
 * Runs `webpop-bridge --config <file>` from the sources (tsx) as a child process on loopback, on an
 * ephemeral port unless `port` is given (to restart a bridge where it was).
 */
export async function spawnBridge(
  config: Record<string, unknown>,
  options: { port?: number } = {},
): Promise<ChildBridge> {
  const dir = await mkdtemp(join(tmpdir(), 'webpop-child-bridge-'));
  const configFile = join(dir, 'bridge.json');
  await writeFile(
    configFile,
    JSON.stringify({
      staticDir: '/nonexistent-webpop-static',
      ...config,
      listen: { host: '127.0.0.1', port: options.port ?? 0 },
    }),
  );
  const child = spawn(
    process.execPath,
    ['--conditions=@webpop/source', '--import', 'tsx', mainTs, '--config', configFile],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  const listeners = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    for (const listener of listeners) listener();
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const waitForLine = (predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = lines.find(predicate);
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching log line; stderr: ${stderr.join('\n')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
      void exited.then(() => {
        if (listeners.has(check)) {
          cleanup();
          reject(new Error(`the bridge exited; stderr: ${stderr.join('\n')}`));
        }
      });
    });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    children.delete(running);
    await rm(dir, { recursive: true, force: true });
  };
  let listening: Record<string, unknown>;
  try {
    listening = await waitForLine((line) => line.event === 'listening');
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const url = listening.url as string;
  const running: ChildBridge = {
    child,
    pid: child.pid as number,
    url,
    relayUrl: `${url.replace(/^http/, 'ws')}/pop3`,
    configFile,
    lines,
    stderr,
    exited,
    rssBytes: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
    },
    metric: (name) =>
      new Promise((resolve, reject) => {
        http
          .get(`${url}/metrics`, (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => {
              const line = body.split('\n').find((l) => l.startsWith(`${name} `));
              resolve(Number(line?.slice(name.length + 1)));
            });
          })
          .on('error', reject);
      }),
    waitForLine,
    stop,
  };
  children.add(running);
  return running;
}
