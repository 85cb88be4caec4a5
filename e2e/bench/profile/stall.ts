// A listing that may never end: signs in to a mailbox of N messages (real Dovecot, the built bridge,
// Chromium) and prints every 3 s what the page has sent and received over its WebSocket (frames,
// bytes, the last commands, how many carried a TOP), with every console message and page error,
// until the list is no longer busy or `wait` ms pass. For a stall: which side stopped, and where.
//
//   node --conditions=@webpop/source --import tsx e2e/bench/profile/stall.ts [messages] [wait ms]
//   env: SEED, HB (header bytes), MINIFY=0, SIGNINS (fresh contexts in turn), THROTTLE (DevTools CPU
//   rate), RTT (ms, through the delay proxy)
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { generateMessages, startDovecot } from '@webpop/testkit';
import { startBridgeProcess } from '../lib/bridge-process.js';
import { freshContext, launchChromium } from '../lib/browser.js';
import { buildWebApp } from '../lib/web-build.js';
import { startDelayProxy } from '../lib/delay-proxy.js';

const count = Number(process.argv[2] ?? 1000);
const waitMs = Number(process.argv[3] ?? 120_000);
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join('/');
const t0 = Date.now();
const log = (s: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}\n`);
log(`load ${load()}; ${count} messages`);
const password = randomBytes(9).toString('base64url');
const username = 'big';
const web = buildWebApp({ minify: process.env.MINIFY !== '0' });
log('built');
const dovecot = await startDovecot({
  users: [{ username, password }],
  extraConfig: 'mail_max_userip_connections = 1000',
  messages: {
    [username]: generateMessages(count, {
      seed: Number(process.env.SEED ?? count),
      headerBytes: Number(process.env.HB ?? 512),
    }),
  },
});
log('dovecot up');
const rtt = Number(process.env.RTT ?? 0);
const proxy =
  rtt > 0 ? await startDelayProxy({ host: dovecot.host, port: dovecot.pop3Port }, rtt / 2) : undefined;
const target = proxy ?? { host: dovecot.host, port: dovecot.pop3Port };
const bridge = await startBridgeProcess({
  servers: [{ id: 'local', label: 'Local', host: target.host, port: target.port, security: 'none' }],
  staticDir: web.dir,
  limits: { connectionsPerIpPerMinute: 100_000, connectionsPerIp: 1000 },
});
const browser = await launchChromium();
try {
  for (let round = 0; round < Number(process.env.SIGNINS ?? 1); round++) {
    log(`round ${round}`);
    const context = await freshContext(browser);
    await context.addInitScript(() => {
      const w = window as unknown as { __sent: string[]; __recv: number; __recvBytes: number };
      w.__sent = [];
      w.__recv = 0;
      w.__recvBytes = 0;
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data) {
        let text = '';
        if (typeof data === 'string') text = data.slice(0, 40);
        else {
          const b =
            data instanceof ArrayBuffer
              ? new Uint8Array(data)
              : ArrayBuffer.isView(data)
                ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
                : new Uint8Array();
          for (let i = 0; i < Math.min(b.length, 40); i++)
            text += b[i]! >= 0x20 && b[i]! < 0x7f ? String.fromCharCode(b[i]!) : '|';
          text += ` [${b.length}]`;
        }
        w.__sent.push(`${performance.now().toFixed(0)} ${text}`);
        return send.call(this, data);
      };
      const Original = WebSocket;
      window.WebSocket = class extends Original {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          this.addEventListener('message', (e) => {
            w.__recv++;
            w.__recvBytes += (e.data as ArrayBuffer).byteLength ?? String(e.data).length;
          });
        }
      };
      window.addEventListener('unhandledrejection', (e) =>
        console.error('unhandledrejection', String(e.reason), (e.reason as Error)?.stack),
      );
    });
    const page = await context.newPage();
    page.on('console', (m) => log(`console.${m.type()}: ${m.text().slice(0, 500)}`));
    page.on('pageerror', (e) => log(`pageerror: ${e.stack ?? e.message}`));
    if (process.env.THROTTLE) {
      const c = await context.newCDPSession(page);
      await c.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.THROTTLE) });
    }
    await page.goto(bridge.url);
    await page.getByRole('combobox', { name: 'Server' }).selectOption({ label: 'Local' });
    await page.getByRole('textbox', { name: 'Username' }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.waitForLoadState('networkidle');
    log('submit');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const end = Date.now() + waitMs;
    let last = '';
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 3000));
      const s = await page.evaluate(() => {
        const w = window as unknown as { __sent: string[]; __recv: number; __recvBytes: number };
        return {
          sent: w.__sent.length,
          recv: w.__recv,
          bytes: w.__recvBytes,
          lastSent: w.__sent.slice(-3),
          tops: w.__sent.filter((x) => x.includes('TOP')).length,
          status: document.querySelector('[role=status]')?.textContent?.slice(0, 120) ?? '',
        };
      });
      const line = JSON.stringify(s);
      if (line !== last) log(line);
      last = line;
      if (s.tops > 0 && s.bytes > 0) {
        const busy = await page.evaluate(() => document.querySelector('[aria-busy=true]') !== null);
        if (!busy) {
          log('list done (no aria-busy)');
          break;
        }
      }
    }
    log(`load ${load()}`);
    await context.close();
  }
} finally {
  await browser.close();
  await bridge.stop();
  await proxy?.close();
  await dovecot.stop();
  web.remove();
}
