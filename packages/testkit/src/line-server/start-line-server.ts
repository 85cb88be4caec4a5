import net, { type AddressInfo, type Socket } from 'node:net';
import tls from 'node:tls';

export interface LineServerOptions {
  readonly host?: string;
  readonly port?: number;
  /** TLS from the first byte (POP3S, SMTPS); needs `tls`. */
  readonly implicitTls?: boolean;
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
}

export interface LineServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening and destroys every open socket. */
  close(): Promise<void>;
}

/**
 * What the scriptable POP3 and SMTP servers share: listening on loopback (an ephemeral port unless
 * told otherwise), plain or implicit TLS, every socket tracked so close() ends them, and one session
 * per connection (`serve`; a session that throws has its socket destroyed).
 */
export async function startLineServer(
  options: LineServerOptions,
  serve: (socket: Socket, track: (socket: Socket) => void) => Promise<void>,
): Promise<LineServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.implicitTls && !options.tls) throw new Error('implicitTls needs tls.key and tls.cert');
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const onConnection = (socket: Socket): void => {
    // A reply goes out in several writes (status, body); without this, Nagle's algorithm and the
    // client's delayed ACK add ~40 ms to every reply of a one-at-a-time session.
    socket.setNoDelay(true);
    serve(socket, track).catch(() => socket.destroy());
  };
  const server =
    options.implicitTls && options.tls
      ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, onConnection)
      : net.createServer(onConnection);
  // Also track raw sockets that are still in the TLS handshake, so close() can destroy them.
  server.on('connection', track);
  server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    host,
    port: (server.address() as AddressInfo).port,
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
