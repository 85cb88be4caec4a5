// Where a relay's CPU goes on a 50 MB RETR: the built bridge and the minimal ws→net relay, each run
// under `node --cpu-prof`, 5 untimed RETRs then 10 profiled ones through each; prints the CPU each used
// per RETR (schedstat) and the functions with the most self time. Not a benchmark: the reason behind
// the download group's CPU ratio.
//
//   node --conditions=@webpop/source --import tsx e2e/bench/profile/relay.ts [--runs 10]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Credentials, Pop3Client } from '@webpop/pop3';
import { startDovecot } from '@webpop/testkit';
import { functionTimes, type CpuProfile } from '../lib/cpu-profile.js';
import { fromRoot, repoRoot } from '../lib/paths.js';
import { liveThreadsCpuMs } from '../lib/process-cpu.js';
import { sessionThroughBridge, sessionThroughWebsockify } from '../lib/websocket-transports.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join('/');
// A SIGTERM that exits normally, so --cpu-prof writes its file (the minimal relay has no handler).
const exitOnTerm = 'data:text/javascript,process.on("SIGTERM",()=>process.exit(0))';

/** A Node relay under --cpu-prof; resolves once it prints its first line (the port or "listening"). */
async function startProfiled(args: string[], dir: string) {
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', exitOnTerm, ...args],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', resolve),
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    first: JSON.parse(line) as { port?: number; url?: string },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
      return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    },
  };
}

const username = 'big';
const password = randomBytes(9).toString('base64url');
const header = 'From: bench@webpop.example\r\nSubject: big\r\n\r\n';
const message = Buffer.from(header + `${'x'.repeat(76)}\r\n`.repeat(Math.ceil((50 * 1024 * 1024) / 78)));
const dovecot = await startDovecot({
  users: [{ username, password }],
  messages: { [username]: [message] },
  extraConfig: 'mail_max_userip_connections = 1000',
});
const credentials: Credentials = { username, password, method: 'user', allowPlaintext: true };
process.stdout.write(`load at start ${load()}\n`);
try {
  const work = mkdtempSync(join(tmpdir(), 'webpop-relay-profile-'));
  const config = join(work, 'bridge.json');
  writeFileSync(
    config,
    JSON.stringify({
      servers: [{ id: 'dovecot', host: dovecot.host, port: dovecot.pop3Port, security: 'none' }],
      limits: { connectionsPerIpPerMinute: 100_000 },
      listen: { host: '127.0.0.1', port: 0 },
    }),
  );
  const relays = [
    {
      name: 'bridge',
      args: [fromRoot('apps/bridge/dist/main.js'), '--config', config],
      open: (first: { url?: string }) => () =>
        sessionThroughBridge(
          { url: first.url!, relayUrl: `${first.url!.replace(/^http/, 'ws')}/pop3` },
          'dovecot',
          credentials,
        ),
    },
    {
      name: 'minimal ws→net relay',
      args: [fromRoot('e2e/bench/peers/minimal-relay.mjs'), dovecot.host, String(dovecot.pop3Port)],
      open: (first: { port?: number }) => () =>
        sessionThroughWebsockify(`ws://127.0.0.1:${first.port}/`, credentials),
    },
  ];
  for (const relay of relays) {
    const dir = join(work, relay.name.replace(/\W+/g, '-'));
    const running = await startProfiled(relay.args, dir);
    const open: () => Promise<Pop3Client> = relay.open(running.first);
    const retr = async () => {
      const client = await open();
      const bytes = await client.retr(1);
      await client.quit();
      if (bytes.length !== message.length) throw new Error(`RETR gave ${bytes.length} of ${message.length}`);
    };
    for (let i = 0; i < 5; i++) await retr();
    const before = liveThreadsCpuMs(running.pid);
    for (let i = 0; i < runs; i++) await retr();
    const perRetr = (liveThreadsCpuMs(running.pid) - before) / runs;
    const profile = await running.stop();
    process.stdout.write(
      `\n${relay.name}: ${perRetr.toFixed(1)} ms of CPU per RETR (schedstat, ${runs} RETRs after 5); load ${load()}\n`,
    );
    process.stdout.write('self ms  total ms  function (the whole process life, warm-ups included)\n');
    for (const t of functionTimes(profile)
      .filter((t) => t.name !== '(idle)')
      .slice(0, 22))
      process.stdout.write(
        `${t.selfMs.toFixed(1).padStart(7)}  ${t.totalMs.toFixed(1).padStart(8)}  ${t.name}\n`,
      );
  }
  rmSync(work, { recursive: true, force: true });
} finally {
  await dovecot.stop();
}
