import { startBridge, type LogSink, type RunningBridge } from '@webpop/bridge';
import { demoAccount, startPop3Server, type RunningPop3Server } from '@webpop/testkit';

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
  close(): Promise<void>;
}

/**
 * The webmail demo (`pnpm start`): testkit's POP3 server with the demo mailbox (user "demo", password "demo") on loopback,
 * and the bridge with it configured as server `demo`. A loopback target is fine here because the
 * configuration names it; browsers still cannot name any other host.
 */
export async function startWebmailDemo(options: WebmailDemoOptions = {}): Promise<RunningWebmailDemo> {
  const pop3 = await startPop3Server({ host: '127.0.0.1', port: 0, accounts: [await demoAccount()] });
  try {
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
          },
        ],
        ...(options.origins ? { origins: options.origins } : {}),
        ...(options.staticDir ? { staticDir: options.staticDir } : {}),
        shutdownSeconds: 5,
      },
      options.log ? { log: options.log } : {},
    );
    return {
      bridge,
      pop3,
      close: async () => {
        await bridge.close();
        await pop3.close();
      },
    };
  } catch (error) {
    await pop3.close();
    throw error;
  }
}
