import net, { type AddressInfo, type Socket } from 'node:net';
import tls from 'node:tls';
import { SmtpSession, type SmtpSessionEnvironment } from './session.js';
import type { ReceivedMessage, RunningSmtpServer, SmtpFaults, SmtpServerOptions } from './types.js';

/**
 * Starts a scriptable SMTP submission server on loopback (an ephemeral port unless told otherwise):
 * EHLO with the extensions asked for, STARTTLS, AUTH against `accounts`, refused recipients, and the
 * faults of `SmtpFaults` (a reply of choice at any stage, a stall, a drop mid-DATA, STARTTLS injection).
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<RunningSmtpServer> {
  const host = options.host ?? '127.0.0.1';
  const f = options.features ?? {};
  const features: SmtpSessionEnvironment['features'] = {
    ehlo: f.ehlo ?? true,
    pipelining: f.pipelining ?? true,
    size: f.size,
    eightBitMime: f.eightBitMime ?? true,
    smtpUtf8: f.smtpUtf8 ?? true,
    dsn: f.dsn ?? true,
    enhancedStatusCodes: f.enhancedStatusCodes ?? true,
    authMechanisms: f.authMechanisms ?? ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'],
    authWithoutTls: f.authWithoutTls ?? false,
  };
  let faults: SmtpFaults = { ...options.faults };
  const messages: ReceivedMessage[] = [];
  const commandLog: Array<{ connection: number; line: string }> = [];
  const flights: string[][] = [];
  const sockets = new Set<Socket>();
  let connectionCount = 0;

  if (options.implicitTls && !options.tls) throw new Error('implicitTls needs tls.key and tls.cert');

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const serve = (socket: Socket): void => {
    socket.setNoDelay(true);
    const connection = ++connectionCount;
    const session = new SmtpSession(socket, {
      connection,
      options,
      features,
      faults: () => faults,
      received: (message) => messages.push(message),
      logLine: (line) => commandLog.push({ connection, line }),
      logFlight: (lines) => flights.push([...lines]),
      trackSocket: track,
    });
    session.run().catch(() => socket.destroy());
  };

  const server =
    options.implicitTls && options.tls
      ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, serve)
      : net.createServer(serve);
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
    messages,
    commandLog,
    flights,
    setFaults(next) {
      faults = { ...next };
    },
    get connectionCount() {
      return connectionCount;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
