import { startLineServer } from '../line-server/start-line-server.js';
import { SmtpSession, type SmtpSessionEnvironment } from './session.js';
import type { ReceivedMessage, RunningSmtpServer, SmtpFaults, SmtpServerOptions } from './types.js';

/**
 * Starts a scriptable SMTP submission server on loopback (an ephemeral port unless told otherwise):
 * EHLO with the extensions asked for, STARTTLS, AUTH against `accounts`, refused recipients, and the
 * faults of `SmtpFaults` (a reply of choice at any stage, a stall, a drop mid-DATA, STARTTLS injection).
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<RunningSmtpServer> {
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
  let connectionCount = 0;

  const server = await startLineServer(options, (socket, track) => {
    const connection = ++connectionCount;
    const session = new SmtpSession(socket, {
      connection,
      options,
      features,
      faults: () => faults,
      received: (message) => {
        messages.push(message);
        options.onMessage?.(message);
      },
      logLine: (line) => commandLog.push({ connection, line }),
      logFlight: (lines) => flights.push([...lines]),
      trackSocket: track,
    });
    return session.run();
  });

  return {
    host: server.host,
    port: server.port,
    messages,
    commandLog,
    flights,
    setFaults(next) {
      faults = { ...next };
    },
    get connectionCount() {
      return connectionCount;
    },
    close: () => server.close(),
  };
}
