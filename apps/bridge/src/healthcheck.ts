import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LoadedConfig } from './config/load.js';

/** How long the health check waits for an answer (Docker's default HEALTHCHECK timeout is 30 s). */
const HEALTHCHECK_TIMEOUT_MS = 5_000;

function hostHeader(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * `webpop-bridge healthcheck`: GET /healthz from the bridge this configuration describes, on loopback
 * when it listens on every address. 0 for 200, 1 otherwise (draining answers 503).
 */
export function healthcheck(config: LoadedConfig): Promise<number> {
  const { host, port } = config.listen;
  const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const client = config.tls ? https : http;
  return new Promise((resolve) => {
    const req = client.get(
      {
        host: target,
        port,
        path: '/healthz',
        timeout: HEALTHCHECK_TIMEOUT_MS,
        // Our own certificate, for a name the loopback address is not: the check is of liveness, not identity.
        rejectUnauthorized: false,
        // A name the bridge answers for: with `hosts` configured, the loopback address is not one.
        headers: { Host: hostHeader(config.hosts?.[0] ?? target, port) },
      },
      (res) => {
        res.resume();
        process.stdout.write(`webpop-bridge: /healthz answered ${res.statusCode}\n`);
        resolve(res.statusCode === 200 ? 0 : 1);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (error) => {
      process.stderr.write(`webpop-bridge: health check failed: ${error.message}\n`);
      resolve(1);
    });
  });
}
