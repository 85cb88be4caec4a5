import net, { type AddressInfo } from 'node:net';

export interface DelayProxy {
  readonly host: '127.0.0.1';
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Forwards every chunk after `delayMs`, keeping order: Node runs timers of one duration in the order
 * they were set, so chunk n+1 never overtakes chunk n. The end of a stream is delayed the same way.
 */
function relayDelayed(from: net.Socket, to: net.Socket, delayMs: number): void {
  from.on('data', (chunk) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
  from.on('close', () => setTimeout(() => to.destroy(), delayMs + 1));
}

/**
 * A TCP proxy on loopback that adds `oneWayDelayMs` in each direction (so twice that to every round
 * trip), like a link to a distant mail server. Bandwidth is not limited.
 */
export async function startDelayProxy(
  target: { host: string; port: number },
  oneWayDelayMs: number,
): Promise<DelayProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    relayDelayed(client, upstream, oneWayDelayMs);
    relayDelayed(upstream, client, oneWayDelayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
