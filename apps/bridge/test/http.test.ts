// The HTTP side: the web app's files with security and cache headers, no way out of the static root,
// /healthz, /metrics, /api/servers, and upgrades on other paths.
import http from 'node:http';
import net from 'node:net';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCertificates } from '@webpop/testkit';
import { CONTENT_SECURITY_POLICY, SANITIZER_CONTENT_SECURITY_POLICY } from '../src/http/headers.js';
import { RelayClient } from './support/relay-client.js';
import { startTestBridge, stopAll, tempFiles } from './support/bridge.js';

afterEach(stopAll);

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with the path sent exactly as given (fetch would normalise `..` away). */
function request(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
) {
  const url = new URL(base);
  return new Promise<Response>((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function webApp(): Promise<string> {
  const root = await tempFiles();
  const dist = join(root, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(
    join(dist, 'index.html'),
    '<!doctype html><title>webpop</title><script type="module" src="/assets/index-Bx3k9a_z.js"></script>',
  );
  await writeFile(join(dist, 'assets', 'index-Bx3k9a_z.js'), 'console.log("app")');
  await writeFile(join(dist, 'assets', 'style-CdE12345.css'), 'body{}');
  await writeFile(join(dist, 'favicon.svg'), '<svg/>');
  await writeFile(
    join(dist, 'sanitizer.html'),
    '<!doctype html><title>webpop sanitizer</title><script type="module" src="./assets/sanitizer-Qz3k9a_z.js"></script>',
  );
  await writeFile(join(dist, 'assets', 'sanitizer-Qz3k9a_z.js'), 'console.log("sanitizer")');
  await writeFile(join(root, 'secret.txt'), 'outside the root');
  await symlink(join(root, 'secret.txt'), join(dist, 'link-out.txt'));
  return dist;
}

const expectSecurityHeaders = (headers: http.IncomingHttpHeaders) => {
  expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
};

describe('static files', () => {
  it("lets the app frame its sanitizer page, whose opaque origin may load the build's scripts", async () => {
    const bridge = await startTestBridge({ staticDir: await webApp() });
    const page = await request(bridge.url, '/sanitizer.html');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(SANITIZER_CONTENT_SECURITY_POLICY);
    expect(SANITIZER_CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
    );
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    // Module scripts of a sandboxed frame are fetched in CORS mode with Origin: null.
    const script = await request(bridge.url, '/assets/sanitizer-Qz3k9a_z.js', {
      headers: { Origin: 'null' },
    });
    expect(script.headers['access-control-allow-origin']).toBe('*');
    expect(script.headers['access-control-allow-credentials']).toBeUndefined();
    // Everything else keeps the app's headers: not framable, no CORS.
    const index = await request(bridge.url, '/');
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect(index.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await request(bridge.url, '/assets/style-CdE12345.css')).headers['access-control-allow-origin'],
    ).toBeUndefined();
  });

  it('serves index.html with no-cache and the security headers; hashed assets as immutable', async () => {
    const bridge = await startTestBridge({ staticDir: await webApp() });
    const index = await request(bridge.url, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toContain('<title>webpop</title>');
    expectSecurityHeaders(index.headers);
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob: https: http:; style-src 'self' 'unsafe-inline'; frame-src 'self' blob: data:; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
    );

    const asset = await request(bridge.url, '/assets/index-Bx3k9a_z.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(asset.headers);
    expect((await request(bridge.url, '/assets/style-CdE12345.css')).headers['cache-control']).toContain(
      'immutable',
    );
    expect((await request(bridge.url, '/favicon.svg')).headers['cache-control']).toBe('no-cache');

    // Client-side routes get the app; missing files with an extension (and under /assets/) do not.
    expect((await request(bridge.url, '/inbox')).body).toContain('<title>webpop</title>');
    expect((await request(bridge.url, '/missing.js')).status).toBe(404);
    expect((await request(bridge.url, '/assets/missing')).status).toBe(404);
    // Empty segments are skipped: `//etc/passwd` is the route `/etc/passwd` of the app, not a file.
    expect((await request(bridge.url, '//etc/passwd')).body).toContain('<title>webpop</title>');

    const etag = asset.headers.etag as string;
    expect(
      (await request(bridge.url, '/assets/index-Bx3k9a_z.js', { headers: { 'If-None-Match': etag } })).status,
    ).toBe(304);
    const head = await request(bridge.url, '/assets/index-Bx3k9a_z.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await request(bridge.url, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expectSecurityHeaders(post.headers);
  });

  it.each([
    '/../secret.txt',
    '/../../../../etc/passwd',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2e%2e/etc/passwd',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/index.html%00.js',
    '/%ff%fe',
    '/link-out.txt',
    '/%2fetc%2fpasswd',
    '/assets/../../secret.txt',
  ])('refuses %s', async (path) => {
    const bridge = await startTestBridge({ staticDir: await webApp() });
    const response = await request(bridge.url, path);
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain('outside the root');
    expect(response.body).not.toContain('root:');
  });

  it('says the web app is not built when the static directory is missing', async () => {
    const bridge = await startTestBridge({ staticDir: '/nonexistent/webpop/dist' });
    const page = await request(bridge.url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('the web app is not built');
    expect(page.body).not.toContain('<script');
    expectSecurityHeaders(page.headers);
    expect((await request(bridge.url, '/assets/app-12345678.js')).status).toBe(404);
  });
});

describe('operations endpoints', () => {
  it('/healthz', async () => {
    const bridge = await startTestBridge({});
    const health = await request(bridge.url, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    expect(health.headers['cache-control']).toBe('no-store');
  });

  it('/livez and /readyz; with readiness.requireReachableServer, /readyz needs a mail server that answers', async () => {
    const bridge = await startTestBridge({});
    expect(await request(bridge.url, '/livez')).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(await request(bridge.url, '/readyz')).toMatchObject({ status: 200, body: '{"status":"ready"}' });

    const listening = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const open = (listening.address() as net.AddressInfo).port;
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    try {
      const unreachable = await startTestBridge({
        servers: [{ id: 'down', host: '127.0.0.1', port: closed, security: 'none' }],
        readiness: { requireReachableServer: true },
      });
      const down = await request(unreachable.url, '/readyz');
      expect(down).toMatchObject({ status: 503, body: '{"status":"no_server_reachable"}' });
      expect(down.headers['cache-control']).toBe('no-store');
      expect((await request(unreachable.url, '/livez')).status).toBe(200);
      const reachable = await startTestBridge({
        servers: [
          { id: 'down', host: '127.0.0.1', port: closed, security: 'none' },
          { id: 'up', host: '127.0.0.1', port: open, security: 'none' },
        ],
        readiness: { requireReachableServer: true },
      });
      expect(await request(reachable.url, '/readyz')).toMatchObject({
        status: 200,
        body: '{"status":"ready"}',
      });
    } finally {
      listening.close();
    }
  });

  it('/metrics in Prometheus text format, counting connections, bytes and errors by code', async () => {
    const bridge = await startTestBridge({});
    const refused = await RelayClient.open(bridge.relayUrl);
    refused.sendControl({ type: 'connect', server: 'nope' });
    await refused.refusal();
    await bridge.sessionLog();
    const metrics = await request(bridge.url, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = new Map(
      metrics.body
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => {
          const at = line.lastIndexOf(' ');
          return [line.slice(0, at), Number(line.slice(at + 1))] as const;
        }),
    );
    expect(samples.get('webpop_bridge_connections_open')).toBe(0);
    expect(samples.get('webpop_bridge_connections_total')).toBe(1);
    expect(samples.get('webpop_bridge_errors_total{code="target_denied"}')).toBe(1);
    expect(samples.get('webpop_bridge_errors_total{code="protocol_error"}')).toBe(0);
    expect(samples.get('webpop_bridge_bytes_total{direction="to_server"}')).toBe(0);
    expect(samples.get('webpop_bridge_bytes_total{direction="to_client"}')).toBe(0);
    expect(samples.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    // The process defaults, by prom-client's names (perf_hooks underneath).
    expect(samples.get('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(samples.get('process_open_fds')).toBeGreaterThan(0);
    expect(samples.get('nodejs_heap_size_total_bytes')).toBeGreaterThan(0);
    for (const lag of ['mean', 'p50', 'p99', 'max'])
      expect(samples.get(`nodejs_eventloop_lag_${lag}_seconds`), lag).toBeGreaterThanOrEqual(0);
    expect(metrics.body).toContain('# TYPE nodejs_gc_duration_seconds summary');
    expect(metrics.body).toContain('# TYPE webpop_bridge_errors_total counter');
    expect(metrics.body).toContain('# TYPE webpop_bridge_connections_open gauge');
    // Every sample line is `name{labels} number`.
    for (const line of metrics.body.trim().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{\w+="[^"]*"\})? \d+(\.\d+)?)$/);
    }
  });

  it('/api/servers lists id, label and security only', async () => {
    const dir = await tempFiles({
      // A real one: the bridge checks that CA files parse.
      'ca.pem': (await createTestCertificates()).caPem,
    });
    const bridge = await startTestBridge({
      servers: [
        {
          id: 'work',
          label: 'Work mail',
          host: 'pop.internal.example',
          port: 995,
          security: 'tls',
          ca: join(dir, 'ca.pem'),
        },
        { id: 'home', host: '10.0.0.7', security: 'starttls', fingerprint256: 'ab'.repeat(32) },
      ],
    });
    const response = await request(bridge.url, '/api/servers');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      servers: [
        { id: 'work', label: 'Work mail', security: 'tls' },
        { id: 'home', label: 'home', security: 'starttls' },
      ],
      allowAnyTarget: false,
      session: { idleMinutes: 30, sharedComputerDefault: false, rememberPasswords: false },
    });
    for (const secret of ['pop.internal.example', '10.0.0.7', 'BEGIN', 'AB:AB', '995']) {
      expect(response.body).not.toContain(secret);
    }
  });

  it("/api/servers carries a server's mail domain (the web app's default sender domain)", async () => {
    const bridge = await startTestBridge({
      servers: [
        { id: 'mail', host: 'pop.internal.example', security: 'tls', mailDomain: 'Example.ORG' },
        { id: 'other', host: 'pop.internal.example', security: 'tls' },
      ],
    });
    const response = await request(bridge.url, '/api/servers');
    expect(JSON.parse(response.body).servers).toEqual([
      { id: 'mail', label: 'mail', security: 'tls', mailDomain: 'example.org' },
      { id: 'other', label: 'other', security: 'tls' },
    ]);
  });

  it('/api/servers carries the session policy the web app enforces', async () => {
    const bridge = await startTestBridge({
      session: { idleMinutes: 5, sharedComputerDefault: true, rememberPasswords: true },
    });
    const response = await request(bridge.url, '/api/servers');
    expect(JSON.parse(response.body).session).toEqual({
      idleMinutes: 5,
      sharedComputerDefault: true,
      rememberPasswords: true,
    });
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    const bridge = await startTestBridge({});
    const socket = net.connect(bridge.port, '127.0.0.1');
    socket.write(
      'GET /other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 404/);
  });
});

/** A raw WebSocket upgrade request with the given Host and Origin; the bridge's first reply line. */
async function rawUpgrade(port: number, host: string, origin: string): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  socket.write(
    `GET /pop3 HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  return new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (d) => {
      text += d;
      if (text.includes('\r\n')) {
        socket.destroy();
        resolve(text.split('\r\n', 1)[0] as string);
      }
    });
    socket.on('close', () => resolve(text.split('\r\n', 1)[0] as string));
  });
}

describe('DNS rebinding: the bridge answers only for its own host names', () => {
  it('a foreign Host is refused (421) on every path: pages, assets, /api, health, metrics and the relay', async () => {
    const bridge = await startTestBridge({ staticDir: await webApp() });
    const foreign = { Host: `rebind.attacker.example:${bridge.port}` };
    for (const path of [
      '/',
      '/index.html',
      '/assets/index-Bx3k9a_z.js',
      '/api/servers',
      '/healthz',
      '/metrics',
    ]) {
      const response = await request(bridge.url, path, { headers: foreign });
      expect(response.status, path).toBe(421);
      expect(response.body, path).not.toContain('webpop');
    }
    // Even with the Origin that matches the foreign Host (what a rebinding page sends).
    const origin = `http://rebind.attacker.example:${bridge.port}`;
    expect(await rawUpgrade(bridge.port, foreign.Host, origin)).toMatch(/^HTTP\/1\.1 421/);
    expect(bridge.openSessions).toBe(0);
    expect(bridge.metrics().connectionsTotal).toBe(1);
    // The loopback names of a loopback bind are served, and their origins are the default.
    for (const host of [`127.0.0.1:${bridge.port}`, `localhost:${bridge.port}`, `[::1]:${bridge.port}`]) {
      expect((await request(bridge.url, '/api/servers', { headers: { Host: host } })).status, host).toBe(200);
      expect(await rawUpgrade(bridge.port, host, `http://${host}`), host).toMatch(/^HTTP\/1\.1 101/);
    }
  });

  it('the origin is never taken from the Host header: an allowed Host with a port the bridge is not on is no origin', async () => {
    const bridge = await startTestBridge({});
    const elsewhere = `localhost:${bridge.port + 1}`;
    expect(await rawUpgrade(bridge.port, elsewhere, `http://${elsewhere}`)).toMatch(/^HTTP\/1\.1 403/);
  });

  it('`hosts` replaces the default names; the hosts of configured origins are served by default', async () => {
    const configured = await startTestBridge({ hosts: ['mail.example.org'] });
    expect((await request(configured.url, '/healthz')).status).toBe(421);
    const named = await request(configured.url, '/healthz', { headers: { Host: 'Mail.Example.org.' } });
    expect(named.status).toBe(200);
    const withOrigins = await startTestBridge({ origins: ['https://webmail.example.org'] });
    for (const host of ['webmail.example.org', `127.0.0.1:${withOrigins.port}`]) {
      expect((await request(withOrigins.url, '/healthz', { headers: { Host: host } })).status, host).toBe(
        200,
      );
    }
  });
});

describe('/metrics is not for the public', () => {
  it('answers loopback clients only by default, judged by the client address a trusted proxy forwards', async () => {
    const bridge = await startTestBridge({ trustedProxies: ['127.0.0.1'] });
    expect((await request(bridge.url, '/metrics')).status).toBe(200);
    const proxied = await request(bridge.url, '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    expect(proxied.body).not.toContain('webpop_bridge');
  });

  it('`metrics.allow` names who may read it ([] : nobody on this listener)', async () => {
    const nobody = await startTestBridge({ metrics: { allow: [] } });
    expect((await request(nobody.url, '/metrics')).status).toBe(403);
    const monitoring = await startTestBridge({
      trustedProxies: ['127.0.0.1'],
      metrics: { allow: ['192.0.2.0/24'] },
    });
    const from = (ip: string) => request(monitoring.url, '/metrics', { headers: { 'X-Forwarded-For': ip } });
    expect((await from('192.0.2.77')).status).toBe(200);
    expect((await from('198.51.100.1')).status).toBe(403);
  });
});
