import type http from 'node:http';
import type { LoadedConfig } from '../config/load.js';
import type { MetricsSnapshot } from '../metrics.js';
import type { HostAllowlist } from '../policy/host.js';
import type { ProcessSamples } from '../process-metrics.js';
import { isBaseWithoutSlash, pathInside } from './base-path.js';
import { LOGO_PATH, serveBranding, serveLogo } from './branding.js';
import { setSanitizerFrameHeaders, setSecurityHeaders } from './headers.js';
import { serveHealth, serveReadiness } from './health.js';
import { serveMetrics } from './metrics.js';
import { readinessOf, type ServerReachability } from './readiness.js';
import { serveServerList } from './servers.js';
import { serveStatic } from './static.js';

/** Answered at the root as well as under the base path. */
const OPERATIONS_PATHS = new Set(['/healthz', '/livez', '/readyz', '/metrics']);

/** What the routes read, as it is now (reload replaces the configuration and the allowlists). */
export interface RouteState {
  readonly config: LoadedConfig;
  readonly encrypted: boolean;
  readonly draining: boolean;
  readonly hosts: HostAllowlist;
  readonly reachability: ServerReachability;
  /** May the request's client (behind trusted proxies) read /metrics? */
  mayReadMetrics(req: http.IncomingMessage): boolean;
  metrics(): MetricsSnapshot;
  processSamples(): ProcessSamples;
}

/** Every plain HTTP request (the WebSocket upgrade is the server's): the web app, the API and operations. */
export function routeRequest(req: http.IncomingMessage, res: http.ServerResponse, state: RouteState): void {
  const { config: loaded, draining } = state;
  setSecurityHeaders(res, state.encrypted, loaded.contentSecurityPolicy);
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Method not allowed\n');
    return;
  }
  if (draining) res.setHeader('Connection', 'close');
  if (!state.hosts.allows(req.headers.host))
    return refuseRequest(res, 421, 'this bridge does not serve that host name');
  // Probes and scrapers ask at the root whatever the base path.
  const inside = OPERATIONS_PATHS.has(path) ? path : pathInside(path, loaded.basePath);
  if (inside === undefined) {
    if (isBaseWithoutSlash(path, loaded.basePath)) {
      res.writeHead(301, { Location: loaded.basePath, 'Cache-Control': 'no-cache' });
      res.end();
      return;
    }
    return refuseRequest(res, 404, `this bridge serves under ${loaded.basePath}`);
  }
  if (inside === '/healthz' || inside === '/livez') return serveHealth(res, inside, draining, head);
  if (inside === '/readyz') {
    void readinessOf(loaded, draining, state.reachability).then((status) =>
      serveReadiness(res, status, head),
    );
    return;
  }
  if (inside === '/metrics') {
    if (!state.mayReadMetrics(req)) return refuseRequest(res, 403, 'metrics are not served to your address');
    return serveMetrics(res, state.metrics(), state.processSamples(), head);
  }
  if (inside === '/api/servers') return serveServerList(res, loaded, head);
  if (inside === '/api/branding') return serveBranding(res, loaded, head);
  if (inside === LOGO_PATH) return serveLogo(res, loaded, head);
  setSanitizerFrameHeaders(res, inside);
  serveStatic(req, res, loaded.staticDir, inside).catch(() => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
}

function refuseRequest(res: http.ServerResponse, status: 403 | 404 | 421, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}
