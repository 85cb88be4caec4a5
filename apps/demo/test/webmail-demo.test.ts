// The webmail demo (`pnpm start`): testkit's demo mailbox behind the bridge as server "demo", signed
// into the way the web app does it (the engine over a WebSocket to the relay).
import { openSession } from '@webpop/pop3';
import { connectWebSocketTransport, type WebSocketConstructor } from '@webpop/pop3/browser';
import { openSubmission } from '@webpop/smtp';
import { connectSubmissionWebSocketTransport } from '@webpop/smtp/browser';
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
      servers: [
        {
          id: 'demo',
          label: 'Demo mailbox (user demo, password demo)',
          security: 'none',
          submission: true,
          mailDomain: 'demo.invalid',
        },
      ],
      allowAnyTarget: false,
      session: { idleMinutes: 30, sharedComputerDefault: false, rememberPasswords: false },
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

  it('sends to itself: a message submitted through the relay lands in the demo mailbox, byte for byte', async () => {
    demo = await startWebmailDemo({ port: 0, log: () => undefined });
    const WebSocketFromPage = fromPageOf(demo.bridge.url);
    const signIn = async () =>
      openSession(
        await connectWebSocketTransport({
          url: demo!.bridge.relayUrl,
          target: { server: 'demo' },
          WebSocket: WebSocketFromPage,
        }),
        {
          security: 'none',
          credentials: { username: 'demo', password: 'demo', method: 'user', allowPlaintext: true },
        },
      );
    const before = await signIn();
    const { count } = await before.stat();
    await before.quit();

    const message = new TextEncoder().encode(
      'From: demo@demo.invalid\r\nTo: someone@example.org\r\nSubject: to myself\r\n\r\n.hello\r\n',
    );
    const transport = await connectSubmissionWebSocketTransport({
      url: demo.bridge.relayUrl,
      target: { server: 'demo' },
      WebSocket: WebSocketFromPage,
    });
    // As the web app does over http://: the browser's leg is plain, so the password is never sent in
    // clear (CRAM-MD5 is what the sink and the engine agree on).
    const client = await openSubmission(transport, {
      security: transport.connected.security,
      credentials: { username: 'demo', password: 'demo', unencryptedHop: true },
    });
    expect(client.authenticated).toBe('cram-md5');
    const result = await client.send(
      { from: 'demo@demo.invalid', to: ['someone@example.org', 'other@example.net'] },
      message,
    );
    await client.quit();
    expect(result.accepted).toEqual(['someone@example.org', 'other@example.net']);

    const after = await signIn();
    expect((await after.stat()).count).toBe(count + 1);
    const delivered = await after.retr(count + 1);
    await after.quit();
    expect(Buffer.from(delivered).toString('latin1')).toBe(Buffer.from(message).toString('latin1'));
  });
});
