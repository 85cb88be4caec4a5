// A CPU profile of the page while it lists a mailbox: the app built without minifying, real Dovecot and
// the bridge, V8's sampling profiler on the main thread from the click on "Sign in" to the last row.
// Prints the functions that took the most time (self and inclusive) and the listing's own figures.
// Not a benchmark: a tool to find where the time goes when a listing target is missed.
//
//   node --conditions=@webpop/source --import tsx e2e/bench/profile/listing.ts [messages] [--top N] [--rtt MS]
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { generateMessages, startDovecot } from '@webpop/testkit';
import { startBridgeProcess } from '../lib/bridge-process.js';
import { freshContext, launchChromium } from '../lib/browser.js';
import { startDelayProxy } from '../lib/delay-proxy.js';
import {
  describeProfile,
  functionTimes,
  startCpuProfile,
  stopCpuProfile,
  type CpuProfile,
} from '../lib/cpu-profile.js';
import { buildWebApp } from '../lib/web-build.js';
import { signInAndTimeList } from '../lib/web-session.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '30' },
    rtt: { type: 'string', default: '0' },
    focus: { type: 'string', multiple: true },
  },
});
const count = Number(positionals[0] ?? 10_000);
const top = Number(values.top);
const rtt = Number(values.rtt);
const focus = values.focus ?? ['summarizeHeaders', 'parseHeaderLines', 'onMessage', 'now', 'recordListing'];

const password = randomBytes(9).toString('base64url');
const username = 'profile';
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join('/');
process.stdout.write(`load at start ${load()}; ${count} messages, ${rtt} ms RTT\n`);
const web = buildWebApp({ minify: false });
const dovecot = await startDovecot({
  users: [{ username, password }],
  messages: { [username]: generateMessages(count, { seed: count, headerBytes: 1024 }) },
  extraConfig: 'mail_max_userip_connections = 1000',
});
// With --rtt, through a proxy that delays each direction by half of it.
const proxy =
  rtt > 0 ? await startDelayProxy({ host: dovecot.host, port: dovecot.pop3Port }, rtt / 2) : undefined;
const server = proxy ?? { host: dovecot.host, port: dovecot.pop3Port };
const bridge = await startBridgeProcess({
  servers: [{ id: 'direct', label: 'Dovecot', host: server.host, port: server.port, security: 'none' }],
  staticDir: web.dir,
  limits: { connectionsPerIpPerMinute: 100_000, connectionsPerIp: 1000 },
});
const browser = await launchChromium();
try {
  // The first sign-in lets Dovecot build its index; the second is profiled.
  for (const profiled of [false, true]) {
    const context = await freshContext(browser);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    let profile: CpuProfile | undefined;
    const timing = await signInAndTimeList(
      page,
      bridge.url,
      { serverLabel: 'Dovecot', username, password, messages: count },
      { beforeClick: profiled ? () => startCpuProfile(cdp) : undefined },
    );
    if (profiled) profile = await stopCpuProfile(cdp);
    await context.close();
    process.stdout.write(
      `${profiled ? 'profiled' : 'warm-up'}: first row ${timing.firstRowMs.toFixed(0)} ms, list ${timing.listMs.toFixed(0)} ms, ` +
        `renderer CPU ${timing.rendererCpuMs.toFixed(0)} ms, main-thread tasks ${timing.mainThreadMs.toFixed(0)} ms; load ${load()}\n`,
    );
    if (!profile) continue;
    process.stdout.write(describeProfile(profile, top));
    process.stdout.write(`\nfocus\n`);
    for (const t of functionTimes(profile).filter((t) => focus.includes(t.name.split(' ')[0]!)))
      process.stdout.write(
        `${t.selfMs.toFixed(1).padStart(7)}  ${t.totalMs.toFixed(1).padStart(8)}  ${t.name}\n`,
      );
  }
} finally {
  await browser.close();
  await bridge.stop();
  await proxy?.close();
  await dovecot.stop();
  web.remove();
}
