// The relay against testkit's POP3 server on loopback: the protocol's frames, every refusal with its
// error code and close code, the timeouts, and the per-connection log line.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { RelayClient } from './support/relay-client.js';
import { startTestBridge, stopAll, stubResolver } from './support/bridge.js';

const password = 'hunter2-very-secret';
const secretBody = 'TOP-SECRET-PAYLOAD-4711';
let pop3: RunningPop3Server;

beforeAll(async () => {
  pop3 = await startPop3Server({
    accounts: [
      {
        username: 'alice',
        password,
        messages: [Buffer.from(`Subject: one\r\n\r\n${secretBody}\r\n.starts with a dot\r\n`)],
      },
    ],
  });
});

afterAll(async () => {
  await pop3?.close();
});

afterEach(stopAll);

const demoServer = () => ({ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' });

async function login(client: RelayClient): Promise<void> {
  expect(await client.line()).toMatch(/^\+OK/);
  client.command('USER alice');
  expect(await client.line()).toMatch(/^\+OK/);
  client.command(`PASS ${password}`);
  expect(await client.line()).toMatch(/^\+OK/);
}

describe('relay', () => {
  it('relays a POP3 session to a configured server and ends with 1000 after QUIT', async () => {
    const bridge = await startTestBridge({ servers: [demoServer()] });
    const { client, connected } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    expect(connected).toEqual({ type: 'connected', security: 'none', tls: null });
    await login(client);
    client.command('RETR 1');
    expect(await client.line()).toMatch(/^\+OK/);
    expect((await client.multiline()).toString()).toBe(
      `Subject: one\r\n\r\n${secretBody}\r\n..starts with a dot\r\n`,
    );
    client.command('QUIT');
    expect(await client.line()).toMatch(/^\+OK/);
    expect(await client.closed).toMatchObject({ code: 1000 });

    const log = await bridge.sessionLog();
    expect(log).toMatchObject({
      event: 'session',
      clientIp: '127.0.0.1',
      target: 'demo',
      security: 'none',
      closeCode: 1000,
      reason: 'closed',
      closedBy: 'server',
    });
    expect(log.bytesToServer).toBe(Buffer.byteLength(`USER alice\r\nPASS ${password}\r\nRETR 1\r\nQUIT\r\n`));
    expect(log.bytesToClient).toBeGreaterThan(secretBody.length);
    expect(Number.isInteger(log.durationMs)).toBe(true);
    expect(log.id).toMatch(/^[0-9a-f]{12}$/);
    // Never a payload byte: no command, no password, no message content, in any log line.
    const everything = JSON.stringify(bridge.logs);
    for (const secret of [password, secretBody, 'USER', 'alice', 'RETR', '+OK']) {
      expect(everything).not.toContain(secret);
    }
    expect(bridge.metrics()).toMatchObject({ connectionsOpen: 0, connectionsTotal: 1 });
    expect(bridge.metrics().bytesToServer).toBe(log.bytesToServer);
  });

  it('a browser close ends the mail server connection gracefully and is logged as client_closed', async () => {
    const bridge = await startTestBridge({ servers: [demoServer()] });
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    await login(client);
    client.close(1000);
    await client.closed;
    expect(await bridge.sessionLog()).toMatchObject({
      closeCode: 1000,
      reason: 'client_closed',
      closedBy: 'client',
    });
    expect(bridge.openSessions).toBe(0);
  });

  it('connects to exactly the address the stub resolver gave, passing no name to a second lookup', async () => {
    const { resolver, queries } = stubResolver({ 'pop.example.test': ['127.0.0.1'] });
    const bridge = await startTestBridge(
      { servers: [{ id: 'named', host: 'pop.example.test', port: pop3.port, security: 'none' }] },
      { resolver },
    );
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'named' });
    expect(await client.line()).toMatch(/^\+OK/);
    expect(queries).toEqual(['pop.example.test']);
    client.close();
  });
});

describe('refusals (error frame code and close code)', () => {
  async function refusal(
    bridgeConfig: Record<string, unknown>,
    target: object,
    resolver?: ReturnType<typeof stubResolver>,
  ) {
    const bridge = await startTestBridge(bridgeConfig, resolver ? { resolver: resolver.resolver } : {});
    const client = await RelayClient.open(bridge.relayUrl);
    client.sendControl({ type: 'connect', ...target });
    const result = await client.refusal();
    const log = await bridge.sessionLog();
    expect(log.closeCode).toBe(result.closeCode);
    expect(log.reason).toBe(result.code);
    expect(bridge.metrics().errors[result.code as 'target_denied']).toBe(1);
    return result;
  }

  it('a server id that is not configured: target_denied, 4003', async () => {
    expect(await refusal({ servers: [demoServer()] }, { server: 'elsewhere' })).toMatchObject({
      code: 'target_denied',
      closeCode: 4003,
      message: expect.stringContaining('"elsewhere" is not configured'),
    });
  });

  it('a host without allowAnyTarget: target_denied, 4003', async () => {
    expect(
      await refusal({ servers: [demoServer()] }, { host: '127.0.0.1', port: pop3.port, security: 'none' }),
    ).toMatchObject({
      code: 'target_denied',
      closeCode: 4003,
    });
  });

  it('a DNS name that resolves to 127.0.0.1: address_denied, 4003', async () => {
    const stub = stubResolver({ 'evil.example.test': ['127.0.0.1'] });
    expect(
      await refusal(
        { allowAnyTarget: true },
        { host: 'evil.example.test', port: 110, security: 'none' },
        stub,
      ),
    ).toMatchObject({
      code: 'address_denied',
      closeCode: 4003,
      message: expect.stringContaining('loopback'),
    });
    expect(stub.queries).toEqual(['evil.example.test']);
  });

  it('::ffff:127.0.0.1 (IPv4-mapped loopback): address_denied, 4003, without asking DNS', async () => {
    const stub = stubResolver({});
    expect(
      await refusal(
        { allowAnyTarget: true },
        { host: '::ffff:127.0.0.1', port: 110, security: 'none' },
        stub,
      ),
    ).toMatchObject({ code: 'address_denied', closeCode: 4003 });
    expect(stub.queries).toEqual([]);
  });

  it('odd IPv4 spellings of loopback: address_denied', async () => {
    for (const host of ['127.1', '2130706433', '0x7f000001', '0177.0.0.1', '[::1]']) {
      const stub = stubResolver({});
      expect(
        await refusal({ allowAnyTarget: true }, { host, port: 110, security: 'none' }, stub),
      ).toMatchObject({
        code: 'address_denied',
        closeCode: 4003,
      });
      expect(stub.queries).toEqual([]);
      await stopAll();
    }
  });

  it('a port outside anyTargetPorts: target_denied', async () => {
    expect(
      await refusal({ allowAnyTarget: true }, { host: 'pop.example.test', port: 25, security: 'none' }),
    ).toMatchObject({ code: 'target_denied', closeCode: 4003 });
  });

  it('a host the configuration names is allowed even on loopback', async () => {
    const bridge = await startTestBridge({
      allowAnyTarget: true,
      anyTargetPorts: [pop3.port],
      servers: [demoServer()],
    });
    const { client, connected } = await RelayClient.connect(bridge.relayUrl, {
      host: '127.0.0.1',
      port: pop3.port,
      security: 'none',
    });
    expect(connected.security).toBe('none');
    expect(await client.line()).toMatch(/^\+OK/);
    client.close();
    expect(await bridge.sessionLog()).toMatchObject({ target: `127.0.0.1:${pop3.port}` });
  });

  it('a name that does not resolve: dns_failed, 4502', async () => {
    const stub = stubResolver({});
    expect(
      await refusal(
        { servers: [{ id: 'gone', host: 'gone.example.test', port: 110, security: 'none' }] },
        { server: 'gone' },
        stub,
      ),
    ).toMatchObject({ code: 'dns_failed', closeCode: 4502 });
  });

  it('a closed port: connect_failed, 4502', async () => {
    const closedPort = await freeLoopbackPort();
    expect(
      await refusal(
        { servers: [{ id: 'down', host: '127.0.0.1', port: closedPort, security: 'none' }] },
        { server: 'down' },
      ),
    ).toMatchObject({
      code: 'connect_failed',
      closeCode: 4502,
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('a wrong Origin and a missing Origin: refused before the upgrade, 403 origin_denied', async () => {
    const bridge = await startTestBridge({ servers: [demoServer()] });
    const wrong = await RelayClient.refusedUpgrade(bridge.relayUrl, { origin: 'https://evil.example' });
    expect(wrong).toMatchObject({ status: 403, body: expect.stringContaining('origin') });
    const none = await RelayClient.refusedUpgrade(bridge.relayUrl, { origin: null });
    expect(none).toMatchObject({ status: 403, body: expect.stringContaining('no Origin') });
    // Same host, other scheme or port: a different origin.
    const otherPort = await RelayClient.refusedUpgrade(bridge.relayUrl, {
      origin: `http://127.0.0.1:${bridge.port + 1}`,
    });
    expect(otherPort.status).toBe(403);
    expect(bridge.metrics().errors.origin_denied).toBe(3);
    expect(bridge.openSessions).toBe(0);
    // The log lines say what came and what was expected.
    const refused = bridge.logs.filter((l) => l.event === 'refused');
    expect(refused).toHaveLength(3);
    expect(refused[0]).toMatchObject({
      reason: 'origin_denied',
      status: 403,
      originReceived: 'https://evil.example',
      originsExpected: expect.arrayContaining([bridge.url, `http://localhost:${bridge.port}`]),
    });
    expect(refused[1]).toMatchObject({ originReceived: null });
    expect(refused[0]?.hint).toBeUndefined();
  });

  it('refusals through a proxy that is not trusted hint at trustedProxies (and at hosts for its Host)', async () => {
    const bridge = await startTestBridge({ servers: [demoServer()] });
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.5' };
    const named = await RelayClient.refusedUpgrade(bridge.relayUrl, {
      origin: 'https://mail.example.org',
      headers: { Host: 'mail.example.org', ...forwarded },
    });
    expect(named.status).toBe(421);
    const own = `127.0.0.1:${bridge.port}`;
    const proxied = await RelayClient.refusedUpgrade(bridge.relayUrl, {
      origin: `https://${own}`,
      headers: { Host: own, ...forwarded },
    });
    expect(proxied.status).toBe(403);
    const [host, origin] = bridge.logs.filter((l) => l.event === 'refused');
    expect(host).toMatchObject({
      reason: 'unknown_host',
      hostReceived: 'mail.example.org',
      hostsExpected: ['127.0.0.1', 'localhost', '[::1]'],
      hint: expect.stringContaining('trustedProxies'),
    });
    expect(origin).toMatchObject({
      reason: 'origin_denied',
      originReceived: `https://${own}`,
      hint: expect.stringContaining('trustedProxies'),
    });
  });

  it('configured origins replace the default', async () => {
    const bridge = await startTestBridge({ servers: [demoServer()], origins: ['https://mail.example.org'] });
    expect((await RelayClient.refusedUpgrade(bridge.relayUrl)).status).toBe(403);
    const { client } = await RelayClient.connect(
      bridge.relayUrl,
      { server: 'demo' },
      { origin: 'https://MAIL.example.org' },
    );
    client.close();
  });

  it('over the total limit, the per-IP limit and the per-minute rate: refused before the upgrade (503/429)', async () => {
    const total = await startTestBridge({ servers: [demoServer()], limits: { connections: 2 } });
    const held = [await RelayClient.open(total.relayUrl), await RelayClient.open(total.relayUrl)];
    expect(await RelayClient.refusedUpgrade(total.relayUrl)).toMatchObject({
      status: 503,
      body: expect.stringContaining('bridge'),
    });
    held.forEach((c) => c.close());
    await Promise.all(held.map((c) => c.closed));
    await waitFor(() => total.openSessions === 0);
    const again = await RelayClient.open(total.relayUrl); // slots are released at close
    again.sendControl({ type: 'connect', server: 'demo' });
    expect((await again.nextControl()).type).toBe('connected');
    again.close();

    const perIp = await startTestBridge({ servers: [demoServer()], limits: { connectionsPerIp: 1 } });
    const first = await RelayClient.open(perIp.relayUrl);
    expect(await RelayClient.refusedUpgrade(perIp.relayUrl)).toMatchObject({
      status: 429,
      body: expect.stringContaining('your address'),
    });
    first.close();

    const rate = await startTestBridge({ servers: [demoServer()], limits: { connectionsPerIpPerMinute: 3 } });
    for (let i = 0; i < 3; i++) {
      const ok = await RelayClient.open(rate.relayUrl);
      ok.close();
      await ok.closed;
    }
    expect(await RelayClient.refusedUpgrade(rate.relayUrl)).toMatchObject({
      status: 429,
      body: expect.stringContaining('minute'),
    });
    expect(rate.metrics().errors.limit_reached).toBe(1);
  });

  it('a relay refused after the upgrade is counted and cut soon when the browser does not answer the close', async () => {
    const bridge = await startTestBridge({ servers: [demoServer()], limits: { connectionsPerIp: 1 } });
    const client = await RelayClient.open(bridge.relayUrl);
    client.sendControl({ type: 'connect', server: 'nowhere' });
    expect(await client.nextControl()).toMatchObject({ type: 'error', code: 'target_denied' });
    // A browser that never answers the close frame: ws alone would hold the socket (and the slot) 30 s.
    (client.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
    expect(bridge.openSessions).toBe(1);
    expect((await RelayClient.refusedUpgrade(bridge.relayUrl)).status).toBe(429); // it still counts
    // sessionLog waits 10 s at most, far below ws's 30 s close timeout: the bridge cut it after its grace.
    expect(await bridge.sessionLog(1)).toMatchObject({ reason: 'target_denied', closedBy: 'bridge' });
    expect(bridge.openSessions).toBe(0);
  });

  it('X-Forwarded-For counts only from trusted proxies, and its ip:port and [v6]:port entries by address', async () => {
    const untrusted = await startTestBridge({ servers: [demoServer()], limits: { connectionsPerIp: 1 } });
    const a = await RelayClient.open(untrusted.relayUrl, { headers: { 'X-Forwarded-For': '203.0.113.1' } });
    const b = await RelayClient.refusedUpgrade(untrusted.relayUrl, {
      headers: { 'X-Forwarded-For': '203.0.113.2' },
    });
    expect(b.status).toBe(429);
    a.close();
    await a.closed;
    expect((await untrusted.sessionLog(1)).clientIp).toBe('127.0.0.1');

    const trusted = await startTestBridge({
      servers: [demoServer()],
      limits: { connectionsPerIp: 1 },
      trustedProxies: ['127.0.0.0/8'],
    });
    const c = await RelayClient.open(trusted.relayUrl, {
      headers: { 'X-Forwarded-For': '198.51.100.7, 203.0.113.1:51234' },
    });
    const d = await RelayClient.open(trusted.relayUrl, { headers: { 'X-Forwarded-For': '203.0.113.2:443' } });
    const e = await RelayClient.open(trusted.relayUrl, {
      headers: { 'X-Forwarded-For': '[2001:db8::1]:8080' },
    });
    c.close();
    d.close();
    e.close();
    await Promise.all([c.closed, d.closed, e.closed]);
    const ips = await Promise.all([1, 2, 3].map(async (n) => (await trusted.sessionLog(n)).clientIp));
    expect(ips.sort()).toEqual(['2001:db8::1', '203.0.113.1', '203.0.113.2']);
  });
});

describe('protocol errors (protocol_error, 4001)', () => {
  async function protocolError(
    steps: (client: RelayClient) => Promise<void> | void,
    config?: Record<string, unknown>,
  ) {
    const bridge = await startTestBridge(config ?? { servers: [demoServer()] });
    const client = await RelayClient.open(bridge.relayUrl);
    await steps(client);
    const result = await client.refusal();
    expect(result).toMatchObject({ code: 'protocol_error', closeCode: 4001 });
    expect((await bridge.sessionLog()).closeCode).toBe(4001);
    return result;
  }

  it('an oversized control frame', async () => {
    const result = await protocolError((c) =>
      c.sendControl({ type: 'connect', server: 'demo', pad: 'x'.repeat(2000) }),
    );
    expect(result.message).toMatch(/at most 1024 bytes/);
  });

  it('a text frame that is not JSON, without quoting it back', async () => {
    const result = await protocolError((c) => c.sendControl('{"type":"connect", PASS secret'));
    expect(result.message).toBe('the control frame is not valid JSON');
  });

  it('an unknown frame type', async () => {
    await protocolError((c) => c.sendControl({ type: 'open-sesame' }));
  });

  it('binary before connect, and binary before connected', async () => {
    await protocolError((c) => c.sendBytes('USER alice\r\n'));
    await stopAll();
    await protocolError((c) => {
      c.sendControl({ type: 'connect', server: 'demo' });
      c.sendBytes('USER alice\r\n'); // sent before the connected frame could arrive
    });
  });

  it('connect twice', async () => {
    await protocolError(async (c) => {
      c.sendControl({ type: 'connect', server: 'demo' });
      expect((await c.nextControl()).type).toBe('connected');
      c.sendControl({ type: 'connect', server: 'demo' });
    });
  });

  it('starttls before connected, and for a server whose security is not starttls', async () => {
    await protocolError((c) => c.sendControl({ type: 'starttls' }));
    await stopAll();
    const result = await protocolError(async (c) => {
      c.sendControl({ type: 'connect', server: 'demo' });
      expect((await c.nextControl()).type).toBe('connected');
      c.sendControl({ type: 'starttls' });
    });
    expect(result.message).toMatch(/security is "starttls"/);
  });

  it('a frame over maxFrameBytes is closed by ws with 1009 and logged as protocol_error', async () => {
    const bridge = await startTestBridge({ servers: [demoServer()], limits: { maxFrameBytes: 4096 } });
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    client.sendBytes(Buffer.alloc(5000, 0x41));
    expect((await client.closed).code).toBe(1009);
    expect(await bridge.sessionLog()).toMatchObject({ closeCode: 1009, reason: 'protocol_error' });
  });
});

describe('timeouts (timeout, 4008)', () => {
  it('no connect frame in time', async () => {
    const bridge = await startTestBridge({ servers: [demoServer()], limits: { connectSeconds: 1 } });
    const client = await RelayClient.open(bridge.relayUrl);
    expect(await client.refusal()).toMatchObject({
      code: 'timeout',
      closeCode: 4008,
      message: expect.stringContaining('connect frame'),
    });
  });

  it('idle: nothing either way', async () => {
    const bridge = await startTestBridge({ servers: [demoServer()], limits: { idleSeconds: 1 } });
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    const started = Date.now();
    expect(await client.refusal()).toMatchObject({
      code: 'timeout',
      closeCode: 4008,
      message: expect.stringContaining('nothing was sent'),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('the absolute session limit, even while busy', async () => {
    const bridge = await startTestBridge({
      servers: [demoServer()],
      limits: { sessionSeconds: 1, idleSeconds: 60 },
    });
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    const busy = setInterval(() => client.command('NOOP'), 100);
    try {
      expect(await client.refusal()).toMatchObject({
        code: 'timeout',
        closeCode: 4008,
        message: expect.stringContaining('limit of 1 s'),
      });
    } finally {
      clearInterval(busy);
    }
  });
});

describe('the mail server going away', () => {
  it('a reset connection: upstream_closed, 4502', async () => {
    const server = net.createServer((socket) => {
      socket.write('+OK hello\r\n');
      socket.on('data', () => socket.resetAndDestroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const bridge = await startTestBridge({
        servers: [{ id: 'rst', host: '127.0.0.1', port, security: 'none' }],
      });
      const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'rst' });
      expect(await client.line()).toBe('+OK hello');
      client.command('NOOP');
      expect(await client.refusal()).toMatchObject({ code: 'upstream_closed', closeCode: 4502 });
    } finally {
      server.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
