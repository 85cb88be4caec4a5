import { spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { processTree } from './process-memory.js';

export interface Websockify {
  readonly pid: number;
  /** `ws://127.0.0.1:<port>/`. */
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(gone ? 'websockify exited' : 'websockify did not start listening');
}

/** Runs Debian's websockify (its default engine: a process per connection) in front of `target`. */
export async function startWebsockify(
  binary: string,
  target: { host: string; port: number },
): Promise<Websockify> {
  const port = await freePort();
  const child = spawn(binary, [`127.0.0.1:${port}`, `${target.host}:${target.port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  try {
    await waitForPort(port, exited, 10_000);
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
