// The deployment test every documented reverse proxy runs (nginx, Caddy, HAProxy): the real proxy,
// running its shipped example with only ports and file paths replaced, in front of two bridges (child
// processes, as systemd or a container would run them) with a throwaway certificate. A whole POP3
// session over wss with the browser's address forwarded, then a rolling restart: each bridge in turn
// gets SIGTERM and is started again on its port, while a session that was open on the first one goes
// on to its QUIT and every new session meanwhile is served (by the other bridge, or by the draining
// one within its drainDelaySeconds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openSession, type Pop3Client } from '@webpop/pop3';
import { connectWebSocketTransport, type WebSocketConstructor } from '@webpop/pop3/browser';
import {
  createTestCertificates,
  demoAccount,
  freeLoopbackPort,
  startPop3Server,
  toCrlf,
  type RunningPop3Server,
  type TestCertificates,
} from '@webpop/testkit';
import { spawnBridge, stopAllChildren, type ChildBridge } from './child-bridge.js';
import { stopAll, tempFiles } from './bridge.js';

export interface StartedProxy {
  /** The https port browsers use. */
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the proxy from its example in `dir` (holding cert.pem and key.pem) before the two bridges. */
export type ProxyStarter = (options: {
  readonly dir: string;
  readonly bridgePorts: readonly [number, number];
  readonly certificates: TestCertificates;
}) => Promise<StartedProxy>;

/** Long enough for a proxy checking /readyz every second to take a draining bridge out. */
const DRAIN_DELAY_SECONDS = 3;

export function describeBehindProxy(name: string, available: boolean, startProxy: ProxyStarter): void {
  let pop3: RunningPop3Server;
  let certificates: TestCertificates;
  let proxy: StartedProxy | undefined;
  let account: Awaited<ReturnType<typeof demoAccount>>;
  let bridgePorts: [number, number];
  const bridges: ChildBridge[] = [];

  const bridgeConfig = () => ({
    servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }],
    trustedProxies: ['127.0.0.1'],
    // The examples' public name (their health checks send it) and the test's own.
    hosts: ['mail.example.org', '127.0.0.1'],
    drainDelaySeconds: DRAIN_DELAY_SECONDS,
    shutdownSeconds: 30,
    limits: { connectionsPerIpPerMinute: 10_000 },
  });

  /** A signed-in session through the proxy, as a browser on 127.0.0.2 opens it. */
  const signIn = async (): Promise<Pop3Client> => {
    const origin = `https://127.0.0.1:${proxy?.port}`;
    const BrowserWebSocket = class extends WebSocket {
      constructor(url: string) {
        super(url, { origin, ca: certificates.caPem, localAddress: '127.0.0.2' });
      }
    } as unknown as WebSocketConstructor;
    const transport = await connectWebSocketTransport({
      url: `wss://127.0.0.1:${proxy?.port}/pop3`,
      target: { server: 'demo' },
      WebSocket: BrowserWebSocket,
    });
    return openSession(transport, {
      security: 'none',
      credentials: { username: account.username, password: account.password, allowPlaintext: true },
    });
  };

  /** A short session that must succeed: sign in, STAT, QUIT. */
  const quickSession = async (): Promise<void> => {
    const client = await signIn();
    expect((await client.stat()).count).toBe(account.messages.length);
    await client.quit();
  };

  const sessionsServed = (bridge: ChildBridge) =>
    bridge.lines.filter((line) => line.event === 'session' && line.reason === 'closed').length;

  describe.skipIf(!available)(
    `two bridges behind ${name}${available ? '' : ` (skipped: ${name} is not installed)`}`,
    () => {
      beforeAll(async () => {
        account = await demoAccount();
        pop3 = await startPop3Server({ accounts: [account] });
        certificates = await createTestCertificates();
        bridgePorts = [await freeLoopbackPort(), await freeLoopbackPort()];
        for (const port of bridgePorts) bridges.push(await spawnBridge(bridgeConfig(), { port }));
        const dir = await tempFiles({ 'cert.pem': certificates.certPem, 'key.pem': certificates.keyPem });
        proxy = await startProxy({ dir, bridgePorts, certificates });
        // Both bridges in rotation before the tests start: the proxy's first health checks have passed
        // once each has served a session.
        while (bridges.some((bridge) => sessionsServed(bridge) === 0)) await quickSession();
      }, 120_000);

      afterAll(async () => {
        await proxy?.stop();
        await stopAllChildren();
        await stopAll();
        await pop3?.close();
      });

      it('carries a whole POP3 session over wss with the browser’s address forwarded', async () => {
        const before = bridges.map(sessionsServed);
        const client = await signIn();
        const list = await client.list();
        for (const [i, entry] of list.entries()) {
          const bytes = await client.retr(entry.number);
          expect(Buffer.from(bytes).equals(Buffer.from(toCrlf(account.messages[i] as Uint8Array)))).toBe(
            true,
          );
        }
        await client.quit();
        const served = bridges.find((bridge, i) => sessionsServed(bridge) > (before[i] as number));
        expect(served?.lines.filter((line) => line.event === 'session').at(-1)).toMatchObject({
          target: 'demo',
          clientIp: '127.0.0.2',
          closeCode: 1000,
        });
      });

      it('restarts both bridges in turn without losing the open session or refusing a new one', async () => {
        const open = await signIn();
        const holder = await Promise.all(bridges.map((b) => b.metric('webpop_bridge_connections_open')));
        const first = holder.indexOf(1);
        expect(first, 'one bridge holds the open session').toBeGreaterThanOrEqual(0);
        for (const index of [first, 1 - first]) {
          const old = bridges[index] as ChildBridge;
          old.child.kill('SIGTERM');
          await old.waitForLine((line) => line.event === 'draining');
          // New sessions while it drains, several at once so that the proxy spreads them over both
          // bridges (whatever its balancing): each is served, whichever bridge takes it.
          for (let round = 0; round < 3; round++) {
            await Promise.all(Array.from({ length: 4 }, quickSession));
          }
          if (index === first) {
            // The session open on it goes on to its end.
            const list = await open.list();
            const bytes = await open.retr(list[0]?.number as number);
            expect(Buffer.from(bytes).equals(Buffer.from(toCrlf(account.messages[0] as Uint8Array)))).toBe(
              true,
            );
            await open.quit();
          }
          expect(await old.exited).toEqual({ code: 0, signal: null });
          // While it is down, and until the proxy has taken the new one back in: still every session served.
          const restarted = await spawnBridge(bridgeConfig(), { port: bridgePorts[index] });
          bridges[index] = restarted;
          while (sessionsServed(restarted) === 0) await quickSession();
        }
        expect(bridges.every((bridge) => sessionsServed(bridge) > 0)).toBe(true);
      }, 120_000);
    },
  );
}
