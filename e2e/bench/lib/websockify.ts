import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freeLoopbackPort, waitForPort } from '@webpop/testkit';
import { processTree } from './process-memory.js';

export interface Websockify {
  readonly pid: number;
  /** `ws://127.0.0.1:<port>/`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Runs Debian's websockify (its default engine: a process per connection) in front of `target`. */
export async function startWebsockify(
  binary: string,
  target: { host: string; port: number },
): Promise<Websockify> {
  const port = await freeLoopbackPort();
  const child = spawn(binary, [`127.0.0.1:${port}`, `${target.host}:${target.port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  try {
    await waitForPort(port, { giveUpWhen: exited, what: 'websockify' });
  } catch (error) {
    kill();
    throw new Error(`${(error as Error).message}: ${stderr.trim()}`);
  }
  return {
    pid: child.pid!,
    url: `ws://127.0.0.1:${port}/`,
    stop: async () => {
      const tree = processTree(child.pid!);
      // SIGTERM lets websockify end its per-connection children too; leftovers are killed.
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      kill();
      await exited;
      for (const pid of tree.slice(1)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.removeListener('exit', kill);
    },
  };
}
