import { fileURLToPath } from 'node:url';
import { startPortChild } from './child-process.js';

const script = fileURLToPath(new URL('../peers/minimal-relay.mjs', import.meta.url));

export interface MinimalRelay {
  readonly pid: number;
  /** `ws://127.0.0.1:<port>/`: bare binary frames, as websockify speaks them. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Runs `peers/minimal-relay.mjs` (ws piped to net, no policy) in a process of its own, in front of `target`. */
export async function startMinimalRelay(target: { host: string; port: number }): Promise<MinimalRelay> {
  const child = await startPortChild([script, target.host, String(target.port)], 'the minimal relay');
  return { pid: child.pid, url: `ws://127.0.0.1:${child.port}/`, stop: child.stop };
}
