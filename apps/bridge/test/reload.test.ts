// SIGHUP on the bridge executable: the configuration file is read again and applies to new sessions,
// open sessions go on; an invalid file keeps the running configuration and the log says why.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoAccount, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { spawnBridge, stopAllChildren, type ChildBridge } from './support/child-bridge.js';
import { RelayClient } from './support/relay-client.js';

let pop3: RunningPop3Server;

beforeAll(async () => {
  pop3 = await startPop3Server({ accounts: [await demoAccount()] });
});

afterEach(stopAllChildren);

afterAll(async () => {
  await pop3?.close();
});

/** Rewrites the child's configuration file (keeping what spawnBridge put there) and sends SIGHUP. */
async function reloadWith(bridge: ChildBridge, changes: Record<string, unknown>, event: string) {
  const current = JSON.parse(await readFile(bridge.configFile, 'utf8')) as Record<string, unknown>;
  await writeFile(bridge.configFile, JSON.stringify({ ...current, ...changes }));
  const before = bridge.lines.length;
  bridge.child.kill('SIGHUP');
  return bridge.waitForLine((line) => bridge.lines.indexOf(line) >= before && line.event === event);
}

async function servers(bridge: ChildBridge): Promise<unknown> {
  return (
    (await (await fetch(`${bridge.url}/api/servers`)).json()) as { servers: Array<{ id: string }> }
  ).servers.map((s) => s.id);
}

describe('SIGHUP', () => {
  it('reloads servers and limits for new sessions without cutting open ones', async () => {
    const server = (id: string) => ({ id, host: '127.0.0.1', port: pop3.port, security: 'none' });
    const bridge = await spawnBridge({ servers: [server('old')] });
    const { client: open } = await RelayClient.connect(bridge.relayUrl, { server: 'old' });
    expect(await open.line()).toMatch(/^\+OK/);

    const reloaded = await reloadWith(
      bridge,
      { servers: [server('new')], limits: { connectionsPerIp: 5 } },
      'reloaded',
    );
    expect(reloaded).toMatchObject({ servers: ['new'], restartNeededFor: [] });
    expect(await servers(bridge)).toEqual(['new']);

    // The open session goes on with the server it had.
    open.command('USER demo');
    expect(await open.line()).toMatch(/^\+OK/);
    // New sessions see the new list.
    const refused = await RelayClient.open(bridge.relayUrl);
    refused.sendControl({ type: 'connect', server: 'old' });
    expect(await refused.refusal()).toMatchObject({ code: 'target_denied', closeCode: 4003 });
    const { client: fresh } = await RelayClient.connect(bridge.relayUrl, { server: 'new' });
    expect(await fresh.line()).toMatch(/^\+OK/);
    fresh.ws.close(1000);
    open.ws.close(1000);
  }, 60_000);

  it('an invalid file keeps the running configuration, and the log names the key', async () => {
    const bridge = await spawnBridge({
      servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }],
    });
    const failed = await reloadWith(
      bridge,
      { servers: [{ id: 'demo', host: 'h', port: 0 }] },
      'reload_failed',
    );
    expect(failed.error).toMatch(
      /servers\[0\]\.port: expected an integer from 1 to 65535, got 0; the running configuration stays/,
    );
    expect(await servers(bridge)).toEqual(['demo']);
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    expect(await client.line()).toMatch(/^\+OK/);
    client.ws.close(1000);
  }, 60_000);

  it('what needs a restart keeps its running value and is named', async () => {
    const bridge = await spawnBridge({});
    const reloaded = await reloadWith(bridge, { listen: { host: '127.0.0.1', port: 1 } }, 'reloaded');
    expect(reloaded.restartNeededFor).toEqual(['listen']);
    expect((await fetch(`${bridge.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
