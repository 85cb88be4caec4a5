import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './paths.js';

const script = fileURLToPath(new URL('../peers/testkit-server.ts', import.meta.url));

export interface TestkitProcess {
  readonly pid: number;
  readonly host: '127.0.0.1';
  readonly port: number;
  stop(): Promise<void>;
}

/** Runs testkit's POP3 server (user "bench", 20 generated messages) in a child process. */
export async function startTestkitProcess(password: string): Promise<TestkitProcess> {
  const child = spawn(process.execPath, ['--conditions=@webpop/source', '--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, BENCH_POP3_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    void exited.then(() => reject(new Error('the testkit server exited')));
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve((JSON.parse(line) as { port: number }).port),
    );
  });
  return {
    pid: child.pid!,
    host: '127.0.0.1',
    port,
    stop: async () => {
      kill();
      await exited;
      process.removeListener('exit', kill);
    },
  };
}
