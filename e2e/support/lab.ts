// A lab for one test: testkit POP3 servers (faults switchable at any time) behind a real bridge that
// serves the built app; the bridge can be restarted on the same port mid-session.
import { startBridge, type RunningBridge } from '@webpop/bridge';
import {
  startPop3Server,
  type Pop3AccountInput,
  type Pop3Faults,
  type Pop3Features,
  type Pop3Quirks,
  type RunningPop3Server,
} from '@webpop/testkit';
import { builtApp } from '../global-setup.js';

export interface LabServer {
  readonly id: string;
  readonly label?: string;
  readonly accounts: Pop3AccountInput[];
  readonly faults?: Pop3Faults;
  readonly features?: Pop3Features;
  readonly quirks?: Pop3Quirks;
}

export interface Lab {
  /** The bridge's origin, serving the app: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The POP3 server configured under this id. */
  pop3(id: string): RunningPop3Server;
  /** Stops the bridge (open relays are cut) and starts a new one on the same port. */
  restartBridge(): Promise<void>;
  /** Stops the bridge and leaves it stopped: nothing answers on its port (the app has no network). */
  stopBridge(): Promise<void>;
  close(): Promise<void>;
}

const quiet = (): void => {};

/**
 * `bridge`: more configuration for the lab's bridge (basePath, branding); `url` then still names its
 * origin.
 */
export async function startLab(
  servers: readonly LabServer[],
  bridgeConfig: Record<string, unknown> = {},
): Promise<Lab> {
  const pop3 = new Map<string, RunningPop3Server>();
  for (const server of servers) {
    pop3.set(
      server.id,
      await startPop3Server({
        accounts: server.accounts,
        ...(server.faults ? { faults: server.faults } : {}),
        ...(server.features ? { features: server.features } : {}),
        ...(server.quirks ? { quirks: server.quirks } : {}),
      }),
    );
  }
  const config = (port: number) => ({
    listen: { host: '127.0.0.1', port },
    staticDir: builtApp,
    servers: servers.map((server) => ({
      id: server.id,
      label: server.label ?? server.id,
      host: pop3.get(server.id)!.host,
      port: pop3.get(server.id)!.port,
      security: 'none',
    })),
    shutdownSeconds: 0,
    ...bridgeConfig,
  });
  let bridge: RunningBridge = await startBridge(config(0), { log: quiet });
  const port = bridge.port;
  return {
    url: bridge.url,
    pop3(id) {
      const server = pop3.get(id);
      if (!server) throw new Error(`no POP3 server ${id} in this lab`);
      return server;
    },
    async restartBridge() {
      await bridge.close();
      bridge = await startBridge(config(port), { log: quiet });
    },
    async stopBridge() {
      await bridge.close();
    },
    async close() {
      await bridge.close();
      await Promise.all([...pop3.values()].map((server) => server.close()));
    },
  };
}
