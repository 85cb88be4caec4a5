import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A loopback port that was free a moment ago (the kernel's choice), for a server a test starts itself
 * or as a port nothing listens on. Another process could take it in between; on loopback in a test run
 * that does not happen in practice.
 */
export async function freeLoopbackPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface WaitForPortOptions {
  readonly host?: string;
  readonly timeoutMs?: number;
  /** Stops waiting at once when this settles (e.g. the process that should listen has exited). */
  readonly giveUpWhen?: Promise<unknown>;
  /** Names what should listen, for the error. */
  readonly what?: string;
}

/** Resolves when something accepts TCP connections on the port; rejects after the timeout. */
export async function waitForPort(port: number, options: WaitForPortOptions = {}): Promise<void> {
  const { host = '127.0.0.1', timeoutMs = 10_000, what = `a server on ${host}:${port}` } = options;
  let gaveUp = false;
  void options.giveUpWhen?.then(
    () => (gaveUp = true),
    () => (gaveUp = true),
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(
    gaveUp ? `${what} stopped before it listened` : `${what} did not listen within ${timeoutMs} ms`,
  );
}
