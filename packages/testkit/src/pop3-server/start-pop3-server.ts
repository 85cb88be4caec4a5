import { startLineServer } from '../line-server/start-line-server.js';
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
  const features = resolveFeatures(options.features);
  // One object shared with every session, so setFaults() reaches open sessions too.
  const faults: Pop3Faults = { ...options.faults };
  const quirks = options.quirks ?? {};
  const maildrops = createMaildrops(options.accounts, quirks.keepBareLf);
  const commandLog: CommandLogEntry[] = [];
  let connectionCount = 0;
  let openConnections = 0;

  const dropCounts = new Map<string, number>();
  const dropFor = (command: string): DropAfterCommandFault | undefined => {
    const drop = faults.dropAfterCommand;
    if (!drop || drop.command.toUpperCase() !== command) return undefined;
    const seen = (dropCounts.get(command) ?? 0) + 1;
    dropCounts.set(command, seen);
    return seen === (drop.after ?? 1) ? drop : undefined;
  };

  const server = await startLineServer(options, (socket, track) => {
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
    return session.run();
  });
  const { host, port } = server;

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
    close: () => server.close(),
  };
}
