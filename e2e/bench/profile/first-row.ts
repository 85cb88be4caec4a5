// Where the time to the first row goes: the WebSocket frames the page sends and receives, timed in the
// page from the form's submit (as the listing bench times it), with the first row's time, on a link
// with added latency. Each gap between a received frame and the next sent one is the page's; each gap
// between a sent frame and its answer is the network's and the server's.
//
//   node --conditions=@webpop/source --import tsx e2e/bench/profile/first-row.ts [messages] [--rtt 50] [--runs 3]
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { generateMessages, startDovecot } from '@webpop/testkit';
import { startBridgeProcess } from '../lib/bridge-process.js';
import { freshContext, launchChromium } from '../lib/browser.js';
import { startDelayProxy } from '../lib/delay-proxy.js';
import { buildWebApp } from '../lib/web-build.js';
import { signInAndTimeList } from '../lib/web-session.js';
import { rawFirstHeader } from '../peers/raw-pipelined.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rtt: { type: 'string', default: '50' }, runs: { type: 'string', default: '3' } },
});
const count = Number(positionals[0] ?? 1000);
const rtt = Number(values.rtt);
const runs = Number(values.runs);

/** In the page, before its scripts: every WebSocket frame with its time and its first characters. */
function recordFrames(): void {
  const frames: Array<{ t: number; dir: '→' | '←'; text: string }> = [];
  (window as unknown as { __frames: typeof frames }).__frames = frames;
  const show = (data: unknown) => {
    if (typeof data === 'string') return data.slice(0, 70);
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : undefined;
    if (!bytes) return '(blob)';
    let text = '';
    for (let i = 0; i < Math.min(bytes.length, 70); i++)
      text += bytes[i]! >= 0x20 && bytes[i]! < 0x7f ? String.fromCharCode(bytes[i]!) : '|';
    return `${text} [${bytes.length} B]`;
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data) {
    frames.push({ t: performance.now(), dir: '→', text: show(data) });
    return send.call(this, data);
  };
  const Original = WebSocket;
  window.WebSocket = class extends Original {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      frames.push({ t: performance.now(), dir: '→', text: `(open ${String(args[0])})` });
      this.addEventListener('open', () => frames.push({ t: performance.now(), dir: '←', text: '(open)' }));
      this.addEventListener('message', (event) =>
        frames.push({ t: performance.now(), dir: '←', text: show(event.data) }),
      );
    }
  };
  document.addEventListener(
    'submit',
    () => frames.push({ t: performance.now(), dir: '→', text: '(submit)' }),
    { capture: true },
  );
}

const password = randomBytes(9).toString('base64url');
const username = 'first';
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join('/');
process.stdout.write(`load at start ${load()}; ${count} messages, ${rtt} ms RTT\n`);
const web = buildWebApp();
const dovecot = await startDovecot({
  users: [{ username, password }],
  messages: { [username]: generateMessages(count, { seed: count, headerBytes: 1024 }) },
  extraConfig: 'mail_max_userip_connections = 1000',
});
const proxy = await startDelayProxy({ host: dovecot.host, port: dovecot.pop3Port }, rtt / 2);
const bridge = await startBridgeProcess({
  servers: [{ id: 'delayed', label: 'Delayed', host: proxy.host, port: proxy.port, security: 'none' }],
  staticDir: web.dir,
  limits: { connectionsPerIpPerMinute: 100_000, connectionsPerIp: 1000 },
});
const browser = await launchChromium();
try {
  for (let run = 0; run <= runs; run++) {
    const minimum = await rawFirstHeader(proxy, username, password);
    const context = await freshContext(browser);
    await context.addInitScript(recordFrames);
    const page = await context.newPage();
    const timing = await signInAndTimeList(page, bridge.url, {
      serverLabel: 'Delayed',
      username,
      password,
      messages: count,
    });
    const frames = await page.evaluate(
      () => (window as unknown as { __frames: Array<{ t: number; dir: string; text: string }> }).__frames,
    );
    await context.close();
    if (run === 0) continue; // Dovecot's index, the bridge's first sessions
    const submit = frames.find((f) => f.text === '(submit)')?.t ?? 0;
    process.stdout.write(
      `\nrun ${run}: first row ${timing.firstRowMs.toFixed(0)} ms, list ${timing.listMs.toFixed(0)} ms; protocol minimum ${minimum.toFixed(0)} ms (${(timing.firstRowMs / minimum).toFixed(2)}×); load ${load()}\n`,
    );
    let shown = 0;
    for (const frame of frames) {
      if (frame.t - submit > timing.firstRowMs + 20 || shown > 30) break;
      process.stdout.write(`${(frame.t - submit).toFixed(1).padStart(8)} ms ${frame.dir} ${frame.text}\n`);
      shown++;
    }
    process.stdout.write(`${timing.firstRowMs.toFixed(1).padStart(8)} ms   (first row shown)\n`);
  }
} finally {
  await browser.close();
  await bridge.stop();
  await proxy.close();
  await dovecot.stop();
  web.remove();
}
