// SIGTERM on the bridge executable (a child process): it refuses new sessions (health answers 503), lets open sessions finish up
// to shutdownSeconds, closes the rest with 1001, logs every session and exits with 0.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WebSocket } from 'ws';
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

/** `webpop-bridge healthcheck` against the running bridge's configuration file: its exit code. */
function healthcheck(configFile: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [
        '--conditions=@webpop/source',
        '--import',
        'tsx',
        'apps/bridge/src/main.ts',
        'healthcheck',
        '--config',
        configFile,
      ],
      () => undefined,
    );
    child.once('exit', (code) => resolve(code));
  });
}

async function status(url: string, path: string): Promise<number> {
  const res = await fetch(`${url}${path}`);
  await res.arrayBuffer();
  return res.status;
}

/** The status line a WebSocket upgrade gets, or `open` when it is accepted. */
function upgradeAnswer(relayUrl: string): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(relayUrl, { origin: new URL(relayUrl.replace(/^ws/, 'http')).origin });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', reject);
  });
}

describe('SIGTERM', () => {
  it('drains: open sessions may finish, new ones are refused with 503 while /healthz answers 503, stragglers get 1001 at the deadline', async () => {
    const running = await spawnBridge({
      servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }],
      shutdownSeconds: 3,
    });
    const { client: busy } = await RelayClient.connect(running.relayUrl, { server: 'demo' });
    const { client: idle } = await RelayClient.connect(running.relayUrl, { server: 'demo' });
    await login(busy);
    await login(idle);

    // The listen port in the file is 0 (any): point the health check at the one it got.
    const fixed = join(dirname(running.configFile), 'fixed.json');
    const file = JSON.parse(await readFile(running.configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(
      fixed,
      JSON.stringify({ ...file, listen: { host: '127.0.0.1', port: Number(new URL(running.url).port) } }),
    );
    expect(await healthcheck(fixed)).toBe(0);

    let idleOpen = true;
    void idle.closed.then(() => (idleOpen = false));
    running.child.kill('SIGTERM');
    await running.waitForLine((line) => line.event === 'draining');
    // The listener stays for health checks; new sessions are refused.
    expect(await upgradeAnswer(running.relayUrl)).toBe(503);
    expect(await status(running.url, '/healthz')).toBe(503);
    expect(await status(running.url, '/readyz')).toBe(503);
    expect(await status(running.url, '/livez')).toBe(200);

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
    // Not closed with the busy one: the idle session is kept until the deadline.
    expect(idleOpen).toBe(true);
    // Draining (503), or already gone if starting the check took past the deadline: unhealthy either way.
    expect(await healthcheck(fixed)).toBe(1);

    // The idle one is closed at the deadline with 1001, and then the process exits cleanly.
    const idleClosed = await idle.closed;
    expect(idleClosed.code).toBe(1001);
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

  it("with drainDelaySeconds, reports 503 at once but still accepts sessions for that long (so a proxy's health check takes it out first)", async () => {
    const running = await spawnBridge({
      servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }],
      drainDelaySeconds: 2,
      // The poll below opens many relays.
      limits: { connectionsPerIpPerMinute: 100_000 },
    });
    // Keeps the bridge draining (not exited) until the refusal is seen.
    const { client: held } = await RelayClient.connect(running.relayUrl, { server: 'demo' });
    await login(held);
    running.child.kill('SIGTERM');
    await running.waitForLine((line) => line.event === 'draining');
    expect(await status(running.url, '/readyz')).toBe(503);
    expect(await status(running.url, '/healthz')).toBe(503);
    // Accepted during the delay, and it works to its end.
    const { client: late } = await RelayClient.connect(running.relayUrl, { server: 'demo' });
    await login(late);
    late.command('QUIT');
    expect(await late.line()).toMatch(/^\+OK/);
    expect((await late.closed).code).toBe(1000);
    // Then refused; the bridge exits once the held session ends.
    let answer = await upgradeAnswer(running.relayUrl);
    while (answer === 'open') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await upgradeAnswer(running.relayUrl);
    }
    expect(answer).toBe(503);
    held.command('QUIT');
    expect(await held.line()).toMatch(/^\+OK/);
    expect(await running.exited).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('webpop-bridge healthcheck asks with a configured host name, which the bridge answers for', async () => {
    const running = await spawnBridge({ hosts: ['mail.example.org'] });
    const fixed = join(dirname(running.configFile), 'fixed.json');
    const file = JSON.parse(await readFile(running.configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(
      fixed,
      JSON.stringify({ ...file, listen: { host: '127.0.0.1', port: Number(new URL(running.url).port) } }),
    );
    // The loopback address is not in `hosts` (421), yet the check is healthy.
    expect(await status(running.url, '/healthz')).toBe(421);
    expect(await healthcheck(fixed)).toBe(0);
  }, 30_000);

  it('exits at once when nothing is open', async () => {
    // A deadline far beyond the test's timeout: waiting for it would fail the test.
    const running = await spawnBridge({ shutdownSeconds: 3600 });
    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.lines.find((line) => line.event === 'draining')).toMatchObject({ open: 0 });
    expect(running.lines.at(-1)).toMatchObject({ event: 'stopped', closedOnDeadline: 0 });
  }, 30_000);
});
