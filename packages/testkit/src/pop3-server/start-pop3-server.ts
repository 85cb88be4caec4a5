import net, { type AddressInfo, type Socket } from 'node:net';
import tls from 'node:tls';
import { createMaildrops } from './maildrops.js';
import { resolveFeatures } from './resolved-options.js';
import { Pop3Session } from './session.js';
import type {
  CommandLogEntry,
  DropAfterCommandFault,
  Pop3Faults,
  Pop3ServerOptions,
  RunningPop3Server,
} from './types.js';

/** Starts a scriptable POP3 server on loopback (an ephemeral port unless told otherwise). */
export async function startPop3Server(options: Pop3ServerOptions): Promise<RunningPop3Server> {
  const host = options.host ?? '127.0.0.1';
  const features = resolveFeatures(options.features);
  // One object shared with every session, so setFaults() reaches open sessions too.
  const faults: Pop3Faults = { ...options.faults };
  const quirks = options.quirks ?? {};
  const maildrops = createMaildrops(options.accounts, quirks.keepBareLf);
  const commandLog: CommandLogEntry[] = [];
  const sockets = new Set<Socket>();
  let connectionCount = 0;
  let openConnections = 0;

  if (options.implicitTls && !options.tls) throw new Error('implicitTls needs tls.key and tls.cert');

  const dropCounts = new Map<string, number>();
  const dropFor = (command: string): DropAfterCommandFault | undefined => {
    const drop = faults.dropAfterCommand;
    if (!drop || drop.command.toUpperCase() !== command) return undefined;
    const seen = (dropCounts.get(command) ?? 0) + 1;
    dropCounts.set(command, seen);
    return seen === (drop.after ?? 1) ? drop : undefined;
  };

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const serve = (socket: Socket): void => {
    // A reply goes out in several writes (status, body); without this, Nagle's algorithm and the
    // client's delayed ACK add ~40 ms to every reply of a one-at-a-time session.
    socket.setNoDelay(true);
    const connection = ++connectionCount;
    openConnections++;
    socket.once('close', () => openConnections--);
    const session = new Pop3Session(socket, {
      connection,
      maildrops,
      features,
      faults,
      quirks,
      tls: options.tls,
      onCommand: options.onCommand,
      logCommand: (command) => commandLog.push({ connection, command }),
      dropFor,
      trackSocket: track,
    });
    session.run().catch(() => socket.destroy());
  };

  const server =
    options.implicitTls && options.tls
      ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, serve)
      : net.createServer(serve);
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
  const port = (server.address() as AddressInfo).port;

  return {
    host,
    port,
    url: `${options.implicitTls ? 'pop3s' : 'pop3'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    accounts: maildrops,
    deliver(username, message) {
      const maildrop = maildrops.get(username);
      if (!maildrop) throw new Error(`no account ${username}`);
      return maildrop.deliver(message);
    },
    commandLog,
    setFaults(next) {
      for (const key of Object.keys(faults) as Array<keyof Pop3Faults>) delete faults[key];
      Object.assign(faults, next);
      dropCounts.clear();
    },
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return openConnections;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
