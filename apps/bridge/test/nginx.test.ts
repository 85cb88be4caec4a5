// Real nginx (the Debian package) in front of the bridge, running the documented
// apps/bridge/nginx/webpop.conf with only its ports, certificate paths and upstream port changed: TLS
// termination, the whole POP3 session carried over wss by the engine, X-Forwarded-For/-Proto believed
// because nginx is a trusted proxy, and the bridge's headers passed through.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openSession } from '@webpop/pop3';
import { connectWebSocketTransport, type WebSocketConstructor } from '@webpop/pop3/browser';
import {
  createTestCertificates,
  demoAccount,
  freeLoopbackPort,
  startPop3Server,
  toCrlf,
  type RunningPop3Server,
  type TestCertificates,
  waitForPort,
} from '@webpop/testkit';
import { startTestBridge, stopAll, tempFiles, type TestBridge } from './support/bridge.js';
import { describeBehindProxy } from './support/behind-proxy.js';

const NGINX = '/usr/sbin/nginx';

let pop3: RunningPop3Server;
let bridge: TestBridge;
let certificates: TestCertificates;
let nginx: ChildProcess | undefined;
let httpsPort: number;
let httpPort: number;
let account: Awaited<ReturnType<typeof demoAccount>>;

/** The documented configuration with test ports and files; every replacement must match once. */
async function nginxConfig(
  dir: string,
  bridgePorts: readonly number[],
  ports: { http: number; https: number },
): Promise<string> {
  let conf = await readFile(new URL('../nginx/webpop.conf', import.meta.url), 'utf8');
  const replace = (pattern: RegExp, replacement: string) => {
    expect(conf, String(pattern)).toMatch(pattern);
    conf = conf.replace(pattern, replacement);
  };
  replace(/^\s*listen \[::\]:80;\n/m, '');
  replace(/^\s*listen \[::\]:443 ssl;\n/m, '');
  replace(/listen 80;/, `listen 127.0.0.1:${ports.http};`);
  replace(/listen 443 ssl;/, `listen 127.0.0.1:${ports.https} ssl;`);
  replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${join(dir, 'cert.pem')};`);
  replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${join(dir, 'key.pem')};`);
  replace(/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${bridgePorts[0]};`);
  replace(
    /server 127\.0\.0\.1:8081;\n/,
    bridgePorts.length > 1 ? `server 127.0.0.1:${bridgePorts[1]};\n` : '',
  );
  await writeFile(join(dir, 'webpop.conf'), conf);
  for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, temp));
  const main = join(dir, 'nginx.conf');
  await writeFile(
    main,
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
    access_log ${join(dir, 'access.log')};
    client_body_temp_path ${join(dir, 'client_body')};
    proxy_temp_path ${join(dir, 'proxy')};
    fastcgi_temp_path ${join(dir, 'fastcgi')};
    uwsgi_temp_path ${join(dir, 'uwsgi')};
    scgi_temp_path ${join(dir, 'scgi')};
    include ${join(dir, 'webpop.conf')};
}
`,
  );
  return main;
}

/** nginx in the foreground on the documented configuration, once `nginx -t` accepts it. */
async function startNginx(
  dir: string,
  bridgePorts: readonly number[],
  ports: { http: number; https: number },
): Promise<ChildProcess> {
  const conf = await nginxConfig(dir, bridgePorts, ports);
  const args = ['-c', conf, '-p', dir, '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`];
  const check = spawnSync(NGINX, ['-t', ...args], { encoding: 'utf8' });
  expect(check.status, check.stderr).toBe(0);
  const started = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForPort(ports.https, { what: 'nginx' });
  return started;
}

/** Stops an nginx that startNginx started. */
async function stopNginx(running: ChildProcess | undefined): Promise<void> {
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  account = await demoAccount();
  pop3 = await startPop3Server({ accounts: [account] });
  certificates = await createTestCertificates();
  bridge = await startTestBridge({
    servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }],
    trustedProxies: ['127.0.0.1'],
  });
  httpsPort = await freeLoopbackPort();
  httpPort = await freeLoopbackPort();
  const dir = await tempFiles({ 'cert.pem': certificates.certPem, 'key.pem': certificates.keyPem });
  nginx = await startNginx(dir, [bridge.port], { http: httpPort, https: httpsPort });
}, 60_000);

afterAll(async () => {
  await stopNginx(nginx);
  await stopAll();
  await pop3?.close();
});

function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    client
      .get(url, { ca: certificates.caPem }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('behind nginx', () => {
  it('carries a whole POP3 session over wss: greeting, login, LIST, RETR byte-exact, QUIT', async () => {
    const origin = `https://127.0.0.1:${httpsPort}`;
    // A browser on another machine: connect from 127.0.0.2, so nginx's X-Forwarded-For differs from
    // the bridge's peer address (nginx, 127.0.0.1).
    const BrowserWebSocket = class extends WebSocket {
      constructor(url: string) {
        super(url, { origin, ca: certificates.caPem, localAddress: '127.0.0.2' });
      }
    } as unknown as WebSocketConstructor;
    const transport = await connectWebSocketTransport({
      url: `wss://127.0.0.1:${httpsPort}/pop3`,
      target: { server: 'demo' },
      WebSocket: BrowserWebSocket,
    });
    const client = await openSession(transport, {
      security: 'none',
      credentials: { username: account.username, password: account.password, allowPlaintext: true },
    });
    expect(client.greeting.text).toMatch(/testkit/);
    const list = await client.list();
    expect(list).toHaveLength(account.messages.length);
    for (const [i, entry] of list.entries()) {
      const bytes = await client.retr(entry.number);
      expect(
        Buffer.from(bytes).equals(Buffer.from(toCrlf(account.messages[i] as Uint8Array))),
        `message ${entry.number}`,
      ).toBe(true);
    }
    await client.quit();

    const log = await bridge.sessionLog();
    expect(log).toMatchObject({ target: 'demo', clientIp: '127.0.0.2', closeCode: 1000, reason: 'closed' });
    expect(log.bytesToClient).toBeGreaterThan(account.messages.reduce((sum, m) => sum + m.length, 0));
  });

  it('refuses a foreign Origin through nginx too (the https origin comes from X-Forwarded-Proto)', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${httpsPort}/pop3`, {
      origin: `http://127.0.0.1:${httpsPort}`,
      ca: certificates.caPem,
    });
    // Refused before the upgrade: nginx passes the bridge's 403 on.
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_request, response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }),
    );
    expect(status).toBe(403);
  });

  it('passes the bridge’s headers and pages through, adds HSTS, and redirects http to https', async () => {
    const page = await get(`https://127.0.0.1:${httpsPort}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    const health = await get(`https://127.0.0.1:${httpsPort}/healthz`);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const metrics = await get(`https://127.0.0.1:${httpsPort}/metrics`);
    expect(metrics.body).toContain('webpop_bridge_connections_total');
    const redirect = await get(`http://127.0.0.1:${httpPort}/inbox`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('https://127.0.0.1/inbox');
  });
});

describeBehindProxy('nginx', existsSync(NGINX), async ({ dir, bridgePorts }) => {
  const ports = { http: await freeLoopbackPort(), https: await freeLoopbackPort() };
  const started = await startNginx(dir, bridgePorts, ports);
  return { port: ports.https, stop: () => stopNginx(started) };
});
