// The demo (`pnpm start`): testkit's demo mailbox behind the bridge as server "demo".
import { afterEach, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../src/index.js';
import { RelayClient } from './support/relay-client.js';

let demo: RunningDemo | undefined;

afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

describe('demo', () => {
  it('serves the demo mailbox as server "demo" and lists it in /api/servers', async () => {
    const lines: string[] = [];
    demo = await startDemo({ port: 0, log: (line) => lines.push(line) });
    const servers = (await (await fetch(`${demo.bridge.url}/api/servers`)).json()) as { servers: unknown[] };
    expect(servers).toEqual({
      servers: [{ id: 'demo', label: 'Demo mailbox (user demo, password demo)', security: 'none' }],
      allowAnyTarget: false,
    });
    const { client } = await RelayClient.connect(demo.bridge.relayUrl, { server: 'demo' });
    expect(await client.line()).toMatch(/^\+OK/);
    client.command('USER demo');
    client.command('PASS demo');
    client.command('STAT');
    expect(await client.line()).toMatch(/^\+OK/);
    expect(await client.line()).toMatch(/^\+OK/);
    expect(await client.line()).toMatch(/^\+OK [1-9]\d* \d+$/);
    client.command('QUIT');
    expect((await client.closed).code).toBe(1000);
  });
});
