import { statSync } from 'node:fs';
import net from 'node:net';
import type { LoadedConfig } from './load.js';

/**
 * What `--check` adds to validation: the problems that would otherwise only show at start. The
 * listen address is bound for a moment (so a port in use, or a host that is not this machine's, is
 * found), and the static files must be there. Each problem names its key.
 */
export async function preflight(config: LoadedConfig): Promise<string[]> {
  const problems: string[] = [];
  const listenProblem = await tryListen(config.listen.host, config.listen.port);
  if (listenProblem) problems.push(listenProblem);
  if (!isDirectory(config.staticDir)) {
    problems.push(`staticDir: ${config.staticDir} is not a directory (build the web app, or set staticDir)`);
  }
  return problems;
}

/** Describes a failed listen on host:port in the configuration's words. */
export function listenError(host: string, port: number, error: NodeJS.ErrnoException): string {
  const where = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `listen: ${where} is already in use (another bridge or service listens there)`;
    case 'EADDRNOTAVAIL':
      return `listen.host: ${host} is not an address of this machine`;
    case 'EACCES':
      return `listen.port: ${port} needs privileges (use a port above 1023, or a capability)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `listen.host: ${host} does not resolve`;
    default:
      return `listen: cannot listen on ${where} (${error.code ?? error.message})`;
  }
}

function tryListen(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(listenError(host, port, error)));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
