import net from 'node:net';
import type { LoadedConfig } from '../config/load.js';
import type { Resolver } from '../policy/resolver.js';
import type { Readiness } from './health.js';

/** How long a reachability answer is reused, so probes from a load balancer do not each dial out. */
const REACHABILITY_CACHE_MS = 10_000;
/** A TCP connect to a mail server that takes longer than this counts as unreachable. */
const PROBE_TIMEOUT_MS = 3_000;

/** Whether any configured mail server accepts a TCP connection now (answers cached briefly). */
export class ServerReachability {
  private cached: { at: number; answer: Promise<boolean> } | undefined;

  constructor(
    private readonly resolver: Resolver,
    private readonly now: () => number = Date.now,
  ) {}

  anyReachable(config: LoadedConfig): Promise<boolean> {
    const now = this.now();
    if (this.cached && now - this.cached.at < REACHABILITY_CACHE_MS) return this.cached.answer;
    const answer = probeAny(config, this.resolver);
    this.cached = { at: now, answer };
    return answer;
  }

  /** Drops the cached answer (the servers changed). */
  forget(): void {
    this.cached = undefined;
  }
}

/** /readyz: draining first; then, with `readiness.requireReachableServer`, a configured server. */
export async function readinessOf(
  config: LoadedConfig,
  draining: boolean,
  reachability: ServerReachability,
): Promise<Readiness> {
  if (draining) return 'draining';
  if (!config.readiness.requireReachableServer) return 'ready';
  return (await reachability.anyReachable(config)) ? 'ready' : 'no_server_reachable';
}

async function probeAny(config: LoadedConfig, resolver: Resolver): Promise<boolean> {
  if (config.servers.length === 0) return false;
  const probes = config.servers.map(async (server) => {
    const addresses = net.isIP(server.host) ? [server.host] : await resolver(server.host).catch(() => []);
    for (const address of addresses) if (await connects(address, server.port)) return true;
    return false;
  });
  const results = await Promise.all(probes);
  return results.includes(true);
}

/** A TCP connection that is closed again at once (the mail server logs a connection without login). */
function connects(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, timeout: PROBE_TIMEOUT_MS });
    const settle = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => settle(true));
    socket.once('timeout', () => settle(false));
    socket.once('error', () => settle(false));
  });
}
