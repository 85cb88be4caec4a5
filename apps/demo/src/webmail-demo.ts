import { startBridge, type LogSink, type RunningBridge } from '@webpop/bridge';
import {
  DEMO_PASSWORD,
  DEMO_USERNAME,
  demoAccount,
  startPop3Server,
  startSmtpServer,
  type RunningPop3Server,
  type RunningSmtpServer,
} from '@webpop/testkit';

/** The demo's addresses: `demo@demo.invalid` writes (the sink delivers anything into the demo mailbox). */
export const DEMO_MAIL_DOMAIN = 'demo.invalid';

export interface WebmailDemoOptions {
  /** Where the bridge listens (default 127.0.0.1:8080). */
  readonly host?: string;
  readonly port?: number;
  /** Allowed origins (default: the bridge's own), e.g. a Vite dev server's. */
  readonly origins?: readonly string[];
  readonly staticDir?: string;
  readonly log?: LogSink;
}

export interface RunningWebmailDemo {
  readonly bridge: RunningBridge;
  readonly pop3: RunningPop3Server;
  /** The loopback submission sink: every message it takes lands in the demo mailbox. */
  readonly smtp: RunningSmtpServer;
  close(): Promise<void>;
}

/**
 * The webmail demo (`pnpm start`): testkit's POP3 server with the demo mailbox (user "demo", password "demo") on loopback,
 * and the bridge with it configured as server `demo`. A loopback target is fine here because the
 * configuration names it; browsers still cannot name any other host. Its submission server is a
 * loopback sink (testkit's SMTP server, AUTH as demo/demo): whatever is sent, to any address, is
 * delivered into the demo mailbox and nowhere else, so the demo can send mail to itself.
 */
export async function startWebmailDemo(options: WebmailDemoOptions = {}): Promise<RunningWebmailDemo> {
  const pop3 = await startPop3Server({ host: '127.0.0.1', port: 0, accounts: [await demoAccount()] });
  let smtp: RunningSmtpServer | undefined;
  try {
    smtp = await startDemoSink(pop3);
    const bridge = await startBridge(
      {
        listen: { host: options.host ?? '127.0.0.1', port: options.port ?? 8080 },
        servers: [
          {
            id: 'demo',
            label: 'Demo mailbox (user demo, password demo)',
            host: pop3.host,
            port: pop3.port,
            security: 'none',
            submission: { host: smtp.host, port: smtp.port, security: 'none' },
            // Compose's From is demo@demo.invalid (RFC 2606: never a real domain; the sink takes it).
            mailDomain: DEMO_MAIL_DOMAIN,
          },
        ],
        ...(options.origins ? { origins: options.origins } : {}),
        ...(options.staticDir ? { staticDir: options.staticDir } : {}),
        shutdownSeconds: 5,
      },
      options.log ? { log: options.log } : {},
    );
    const sink = smtp;
    return {
      bridge,
      pop3,
      smtp: sink,
      close: async () => {
        await bridge.close();
        await sink.close();
        await pop3.close();
      },
    };
  } catch (error) {
    await smtp?.close();
    await pop3.close();
    throw error;
  }
}

/**
 * The demo's submission server: plain (like the demo POP3 server), AUTH offered without TLS (the
 * engine uses CRAM-MD5 there, no password in clear), each message taken delivered into the demo
 * maildrop once whatever its recipients (the next sign-in or Refresh lists it).
 */
function startDemoSink(pop3: RunningPop3Server): Promise<RunningSmtpServer> {
  return startSmtpServer({
    host: '127.0.0.1',
    port: 0,
    accounts: { [DEMO_USERNAME]: DEMO_PASSWORD },
    features: { authWithoutTls: true, size: 50 * 1024 * 1024 },
    onMessage: (message) => pop3.deliver(DEMO_USERNAME, new Uint8Array(message.data)),
  });
}
