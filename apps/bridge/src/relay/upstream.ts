import net from 'node:net';
import { BridgeError } from '../errors.js';
import type { ResolvedTarget } from '../policy/target.js';
import { proxyHeader, type Endpoint } from './proxy-protocol.js';

/** The browser's connection as the bridge determined it: the client, and the address it reached. */
export interface ConnectionEnds {
  readonly client: Endpoint;
  readonly local: Endpoint;
}

/**
 * Opens the TCP connection to the mail server: to the policy's resolved addresses, in order, never to a
 * name (so no second DNS lookup can swap the address after the check). `TCP_NODELAY` is on, because
 * POP3 commands are small and interactive.
 */
export async function connectUpstream(
  target: ResolvedTarget,
  signal: AbortSignal,
  browser: ConnectionEnds,
): Promise<net.Socket> {
  const failures: string[] = [];
  for (const address of target.addresses) {
    try {
      const socket = await connectTo(address, target.port, signal);
      // Before any other byte (and before TLS): the server reads the header first.
      if (target.proxyProtocol)
        socket.write(proxyHeader(target.proxyProtocol, browser.client, browser.local));
      return socket;
    } catch (error) {
      if (signal.aborted) throw error;
      failures.push((error as NodeJS.ErrnoException).code ?? 'error');
    }
  }
  throw new BridgeError(
    'connect_failed',
    `cannot connect to ${target.host} port ${target.port} (${[...new Set(failures)].join(', ')})`,
  );
}

/** Never called for an IP address; there only to make sure no name is ever looked up here. */
const noLookup: net.LookupFunction = (hostname, _options, callback) => {
  const error: NodeJS.ErrnoException = new Error(`the relay does not resolve names (${hostname})`);
  error.code = 'ENOLOOKUP';
  callback(error, '', 0);
};

function connectTo(address: string, port: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port, lookup: noLookup, noDelay: true, keepAlive: true });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
    };
    const onError = (error: Error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.setNoDelay(true);
      resolve(socket);
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
