// The webmail demo (`pnpm start`): testkit's demo mailbox behind the bridge as server "demo", signed
// into the way the web app does it (the engine over a WebSocket to the relay).
import { openSession } from '@webpop/pop3';
import { connectWebSocketTransport, type WebSocketConstructor } from '@webpop/pop3/browser';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startWebmailDemo, type RunningWebmailDemo } from '../src/index.js';

let demo: RunningWebmailDemo | undefined;

afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

/** A WebSocket that sends the Origin a page served by the bridge would. */
function fromPageOf(origin: string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as WebSocketConstructor;
}

describe('the webmail demo', () => {
  it('serves the demo mailbox as server "demo", lists it in /api/servers, and lets demo/demo sign in', async () => {
    const lines: string[] = [];
    demo = await startWebmailDemo({ port: 0, log: (line) => lines.push(line) });
    const servers = (await (await fetch(`${demo.bridge.url}/api/servers`)).json()) as { servers: unknown[] };
    expect(servers).toEqual({
      servers: [{ id: 'demo', label: 'Demo mailbox (user demo, password demo)', security: 'none' }],
      allowAnyTarget: false,
      session: { idleMinutes: 30, sharedComputerDefault: false },
    });
    const transport = await connectWebSocketTransport({
      url: demo.bridge.relayUrl,
      target: { server: 'demo' },
      WebSocket: fromPageOf(demo.bridge.url),
    });
    const client = await openSession(transport, {
      security: 'none',
      credentials: { username: 'demo', password: 'demo', method: 'user', allowPlaintext: true },
    });
    expect((await client.stat()).count).toBeGreaterThan(0);
    await client.quit();
    expect(client.state).toBe('ended');
    await expect.poll(() => demo!.bridge.openSessions).toBe(0);
  });
});
