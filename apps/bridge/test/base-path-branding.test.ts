// Serving under a sub-path (basePath, for a proxy that passes /webmail/ on unchanged) and the
// branding the web app reads from /api/branding: routes, redirects, the relay under the prefix, the
// logo with its own policy, validation, and the WEBPOP_… variables.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { demoAccount, startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { loadEffectiveConfig } from '../src/config/load.js';
import { validateConfig } from '../src/config/schema.js';
import { RelayClient } from './support/relay-client.js';
import { startTestBridge, stopAll, tempFiles } from './support/bridge.js';

let pop3: RunningPop3Server;

beforeAll(async () => {
  pop3 = await startPop3Server({ accounts: [await demoAccount()] });
});
afterEach(stopAll);
afterAll(async () => {
  await pop3?.close();
});

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';

async function webApp(): Promise<string> {
  const dist = await tempFiles({ 'index.html': '<!doctype html><title>webpop</title>' });
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'assets', 'index-Bx3k9a_z.js'), 'console.log("app")');
  return dist;
}

async function get(url: string): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** The status a WebSocket upgrade at `url` gets: 101 when it opens. */
function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', reject);
  });
}

describe('basePath', () => {
  it('serves the app, the API and the relay under /webmail/, operations at the root too, nothing else', async () => {
    const bridge = await startTestBridge({
      basePath: '/webmail/',
      staticDir: await webApp(),
      servers: [{ id: 'demo', host: '127.0.0.1', port: pop3.port, security: 'none' }],
    });
    const page = await get(`${bridge.url}/webmail/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>webpop</title>');
    // A client-side route under the prefix is the app too; hashed assets keep their year of caching.
    expect((await get(`${bridge.url}/webmail/inbox`)).body).toContain('<title>webpop</title>');
    const asset = await get(`${bridge.url}/webmail/assets/index-Bx3k9a_z.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(JSON.parse((await get(`${bridge.url}/webmail/api/servers`)).body).servers).toEqual([
      { id: 'demo', label: 'demo', security: 'none' },
    ]);

    const bare = await get(`${bridge.url}/webmail`);
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/webmail/');
    for (const outside of ['/', '/index.html', '/api/servers', '/webmailx/', '/assets/index-Bx3k9a_z.js'])
      expect((await get(`${bridge.url}${outside}`)).status, outside).toBe(404);
    for (const probe of ['/healthz', '/livez', '/readyz', '/webmail/healthz', '/webmail/readyz'])
      expect((await get(`${bridge.url}${probe}`)).status, probe).toBe(200);
    expect((await get(`${bridge.url}/metrics`)).body).toContain('webpop_bridge_connections_total');

    expect(bridge.relayUrl).toBe(`ws://127.0.0.1:${bridge.port}/webmail/pop3`);
    expect(await upgradeStatus(`ws://127.0.0.1:${bridge.port}/pop3`, bridge.url)).toBe(404);
    const { client } = await RelayClient.connect(bridge.relayUrl, { server: 'demo' });
    expect(await client.line()).toMatch(/^\+OK/);
    client.command('QUIT');
    expect(await client.line()).toMatch(/^\+OK/);
  });

  it('accepts only a path starting and ending with /', () => {
    expect(validateConfig({ basePath: '/mail/webpop/' }).basePath).toBe('/mail/webpop/');
    for (const bad of ['webmail/', '/webmail', '/a/../b/', '/we bmail/', '/%2e%2e/', '//'])
      expect(() => validateConfig({ basePath: bad }), bad).toThrow(/^basePath: expected a path like/);
  });
});

describe('branding', () => {
  it('is served at /api/branding with the logo beside it under its own policy', async () => {
    const dir = await tempFiles({ 'logo.svg': LOGO });
    const bridge = await startTestBridge(
      {
        branding: {
          title: 'Example Mail',
          productName: 'Example Webmail',
          logo: 'logo.svg',
          accentColor: '#0B7A4B',
          signInText: 'Ask the help desk (ext. 4711) if you forgot your password.',
        },
      },
      { baseDir: dir },
    );
    expect(JSON.parse((await get(`${bridge.url}/api/branding`)).body)).toEqual({
      title: 'Example Mail',
      productName: 'Example Webmail',
      logo: 'api/branding/logo',
      accentColor: '#0b7a4b',
      signInText: 'Ask the help desk (ext. 4711) if you forgot your password.',
    });
    const logo = await get(`${bridge.url}/api/branding/logo`);
    expect(logo.status).toBe(200);
    expect(logo.body).toBe(LOGO);
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    expect(logo.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    );
  });

  it('defaults to nothing: every value null and no logo', async () => {
    const bridge = await startTestBridge({});
    expect(JSON.parse((await get(`${bridge.url}/api/branding`)).body)).toEqual({
      title: null,
      productName: null,
      logo: null,
      accentColor: null,
      signInText: null,
    });
    expect((await get(`${bridge.url}/api/branding/logo`)).status).toBe(404);
  });

  it('names what is wrong: colour, text, logo type, size and file', async () => {
    const dir = await tempFiles({ 'big.png': 'x'.repeat(600 * 1024) });
    expect(() => validateConfig({ branding: { accentColor: 'green' } })).toThrow(
      'branding.accentColor: expected a colour like "#2457c5", got "green"',
    );
    expect(() => validateConfig({ branding: { signInText: 'two\nlines' } })).toThrow(
      /^branding\.signInText: one line of at most 200 characters/,
    );
    expect(() => validateConfig({ branding: { title: 'x'.repeat(201) } })).toThrow(/^branding\.title:/);
    expect(() => validateConfig({ branding: { logo: 'logo.gif' } })).toThrow(
      'branding.logo: an .svg, .png, .jpg or .webp file',
    );
    expect(() => validateConfig({ branding: { colour: '#000000' } })).toThrow(
      /^branding\.colour: unknown key/,
    );
    await expect(startTestBridge({ branding: { logo: 'big.png' } }, { baseDir: dir })).rejects.toThrow(
      /^branding\.logo: .*big\.png is over 512 KiB/,
    );
    await expect(startTestBridge({ branding: { logo: 'missing.svg' } }, { baseDir: dir })).rejects.toThrow(
      /^branding\.logo: cannot read .*missing\.svg \(ENOENT\)/,
    );
  });

  it('comes from WEBPOP_BRANDING_… and WEBPOP_BASE_PATH as well, over the file', async () => {
    const dir = await tempFiles({
      'bridge.json': JSON.stringify({ branding: { title: 'From the file', productName: 'Kept' } }),
      'logo.png': 'png bytes',
    });
    const { config, loaded } = loadEffectiveConfig(join(dir, 'bridge.json'), {
      WEBPOP_BRANDING_TITLE: 'From the environment',
      WEBPOP_BRANDING_ACCENT_COLOR: '#123456',
      WEBPOP_BRANDING_SIGN_IN_TEXT: 'Run by the IT team',
      WEBPOP_BRANDING_LOGO: join(dir, 'logo.png'),
      WEBPOP_BASE_PATH: '/webmail/',
    });
    expect(config.branding).toEqual({
      title: 'From the environment',
      productName: 'Kept',
      logo: join(dir, 'logo.png'),
      accentColor: '#123456',
      signInText: 'Run by the IT team',
    });
    expect(config.basePath).toBe('/webmail/');
    expect(loaded.brandingLogo).toEqual({ bytes: Buffer.from('png bytes'), contentType: 'image/png' });
  });
});
