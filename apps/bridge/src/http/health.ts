import type { ServerResponse } from 'node:http';

/** 200 while serving; 503 while draining after SIGTERM, so load balancers stop sending new users. */
export function serveHealth(res: ServerResponse, draining: boolean, head: boolean): void {
  const body = JSON.stringify({ status: draining ? 'draining' : 'ok' });
  res.writeHead(draining ? 503 : 200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}
