import type { ServerResponse } from 'node:http';
import type { LoadedConfig } from '../config/load.js';

/**
 * `GET /api/servers`: what the web app's server picker needs. Only id, label, security and, for a
 * server with a submission server, `submission: true` (absent otherwise, so the answer is what it was
 * before submission), a server's `oauth` provider (issuer, client id, scopes: public) and its
 * `mailDomain` (the default sender's domain): host names, ports, CA files and pins stay on the server. And `session`: how the
 * web app ends sessions (the idle limit, the shared-computer default).
 */
export function serveServerList(res: ServerResponse, config: LoadedConfig, head: boolean): void {
  const body = JSON.stringify({
    servers: config.servers.map(({ id, label, security, submission, oauth, mailDomain }) => ({
      id,
      label,
      security,
      ...(submission ? { submission: true } : {}),
      // A public client's settings: no secret exists to leak.
      ...(oauth ? { oauth } : {}),
      ...(mailDomain ? { mailDomain } : {}),
    })),
    allowAnyTarget: config.allowAnyTarget,
    session: config.session,
  });
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-cache',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}
