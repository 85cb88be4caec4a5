import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './paths.js';

export interface PortChild {
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Runs `node <args>` in a process of its own, which prints `{"port":N}` as its first line once it
 * listens; killed when this process exits.
 */
export async function startPortChild(args: string[], what: string, env = process.env): Promise<PortChild> {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    void exited.then(() => reject(new Error(`${what} exited`)));
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve((JSON.parse(line) as { port: number }).port),
    );
  });
  return {
    pid: child.pid!,
    port,
    stop: async () => {
      kill();
      await exited;
      process.removeListener('exit', kill);
    },
  };
}
