import type { ServerResponse } from 'node:http';

/** What /readyz says: ready, draining after SIGTERM, or no configured mail server answers. */
export type Readiness = 'ready' | 'draining' | 'no_server_reachable';

/**
 * `/livez`: 200 as long as the process serves HTTP (restart it when this fails). `/healthz`: 200 while
 * serving, 503 while draining after SIGTERM, so load balancers stop sending new users.
 */
export function serveHealth(
  res: ServerResponse,
  path: '/healthz' | '/livez',
  draining: boolean,
  head: boolean,
): void {
  if (path === '/livez') return sendStatus(res, 200, 'ok', head);
  sendStatus(res, draining ? 503 : 200, draining ? 'draining' : 'ok', head);
}

/** `/readyz`: 200 when new sessions are welcome, else 503 with the reason. */
export function serveReadiness(res: ServerResponse, status: Readiness, head: boolean): void {
  sendStatus(res, status === 'ready' ? 200 : 503, status, head);
}

function sendStatus(res: ServerResponse, code: number, status: string, head: boolean): void {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify({ status });
  res.writeHead(code, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}
