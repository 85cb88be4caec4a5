// SIGTERM on the bridge executable (a child process): it stops accepting, lets open sessions finish up
// to shutdownSeconds, closes the rest with 1001, logs every session and exits with 0.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoAccount, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { spawnBridge, stopAllChildren } from './support/child-bridge.js';
import { RelayClient } from './support/relay-client.js';

let pop3: RunningPop3Server;

beforeAll(async () => {
  pop3 = await startPop3Server({ accounts: [await demoAccount()] });
});

afterEach(stopAllChildren);

afterAll(async () => {
  await pop3?.close();
});

async function login(client: RelayClient): Promise<void> {
  expect(await client.line()).toMatch(/^\+OK/);
  client.command('USER demo');
  client.command('PASS demo');
  expect(await client.line()).toMatch(/^\+OK/);
  expect(await client.line()).toMatch(/^\+OK/);
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('SIGTERM', () => {
  it('drains: open sessions may finish, new ones are refused, stragglers get 1001 at the deadline', async () => {
    const running = await spawnBridge({
      servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }],
      shutdownSeconds: 3,
    });
    const port = Number(new URL(running.url).port);
    const { client: busy } = await RelayClient.connect(running.relayUrl, { server: 'demo' });
    const { client: idle } = await RelayClient.connect(running.relayUrl, { server: 'demo' });
    await login(busy);
    await login(idle);

    const signalled = Date.now();
    running.child.kill('SIGTERM');
    await running.waitForLine((line) => line.event === 'draining');
    expect(await refusesConnections(port)).toBe(true);

    // The open session goes on and ends normally.
    busy.command('LIST');
    expect(await busy.line()).toMatch(/^\+OK/);
    expect((await busy.multiline()).length).toBeGreaterThan(0);
    busy.command('RETR 1');
    expect(await busy.line()).toMatch(/^\+OK/);
    await busy.multiline();
    busy.command('QUIT');
    expect(await busy.line()).toMatch(/^\+OK/);
    expect((await busy.closed).code).toBe(1000);

    // The idle one is closed at the deadline with 1001, and then the process exits cleanly.
    const idleClosed = await idle.closed;
    expect(idleClosed.code).toBe(1001);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2500);
    expect(await running.exited).toEqual({ code: 0, signal: null });

    const sessions = running.lines.filter((line) => line.event === 'session');
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s) => s.closeCode).sort()).toEqual([1000, 1001]);
    expect(sessions.find((s) => s.closeCode === 1001)).toMatchObject({
      reason: 'shutdown',
      closedBy: 'bridge',
    });
    expect(running.lines.at(-1)).toMatchObject({ event: 'stopped', closedOnDeadline: 1 });
  }, 60_000);

  it('exits at once when nothing is open', async () => {
    const running = await spawnBridge({ shutdownSeconds: 30 });
    const started = Date.now();
    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5000);
  }, 30_000);
});
