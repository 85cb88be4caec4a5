import type { LoadedConfig } from './load.js';

/** What a reload did: the keys whose new values wait for a restart (they keep their running values). */
export interface ReloadResult {
  readonly restartNeededFor: readonly string[];
  /** The running values of those keys, to lay over the new configuration. */
  kept(running: LoadedConfig): Partial<LoadedConfig>;
}

/**
 * Compares a running and a new configuration. The listen socket, plain vs TLS, the WebSocket frame
 * limit and the handshake guard are fixed when the server starts; everything else applies to new
 * sessions at once.
 */
export function reloadPlan(running: LoadedConfig, next: LoadedConfig): ReloadResult {
  const changed: string[] = [];
  if (running.listen.host !== next.listen.host || running.listen.port !== next.listen.port)
    changed.push('listen');
  if ((running.tls === null) !== (next.tls === null)) changed.push('tls');
  for (const key of ['maxFrameBytes', 'handshakeSeconds', 'handshakesPerIp'] as const) {
    if (running.limits[key] !== next.limits[key]) changed.push(`limits.${key}`);
  }
  return {
    restartNeededFor: changed,
    kept: (current) => ({
      listen: current.listen,
      tls: (current.tls === null) !== (next.tls === null) ? current.tls : next.tls,
      limits: {
        ...next.limits,
        maxFrameBytes: current.limits.maxFrameBytes,
        handshakeSeconds: current.limits.handshakeSeconds,
        handshakesPerIp: current.limits.handshakesPerIp,
      },
    }),
  };
}
