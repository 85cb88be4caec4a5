// Delivery to `waitForMessage` resolving (issue 20): the fixture (pipelined LIST+UIDL and TOP, polls
// 100 ms apart doubling to 1 s) against a plain poplib polling loop (one command at a time, 1 s sleep),
// on one Dovecot. Each delivery comes a varying 0–1 s after the wait starts, as an app's mail does
// after the click that sent it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMailbox } from '@webpop/playwright/mailbox';
import { startDovecot, type RunningDovecot } from '@webpop/testkit';
import { measure, progress, skipped, type Subject } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import type { Result, TargetCheck } from '../lib/report.js';
import { percentile, round } from '../lib/stats.js';
import { findTool, missing } from '../lib/tools.js';

const GROUP = 'fixture';
const poplibScript = fileURLToPath(new URL('../peers/poplib_poll.py', import.meta.url));
const USER = 'latency';

function mail(token: string): Uint8Array {
  return new TextEncoder().encode(
    [
      'From: App <noreply@app.test>',
      'To: latency@example.test',
      `Subject: Your code ${token}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${token}@app.test>`,
      '',
      'Your code is 482913.',
      '',
    ].join('\r\n'),
  );
}

/** The pause before the i-th delivery: spread over 0–1 s, the same sequence for both subjects. */
const delayBefore = (i: number): number => (i * 379) % 1000;

async function fixtureLatencies(
  dovecot: RunningDovecot,
  deliveries: number,
  subject: Subject,
): Promise<Result> {
  const mailbox = await createMailbox({
    host: dovecot.host,
    port: dovecot.pop3sPort,
    security: 'tls',
    ca: dovecot.caPem,
    username: USER,
    password: dovecot.users[0]!.password,
    cleanup: 'none',
  });
  let i = 0;
  return measure(subject, deliveries, async () => {
    const token = randomBytes(6).toString('hex');
    const waiting = mailbox.waitForMessage({ subject: token, timeout: 30_000 });
    await sleep(delayBefore(i++));
    await dovecot.deliver(USER, mail(token));
    const delivered = Date.now();
    await waiting;
    return Date.now() - delivered;
  });
}

async function poplibLatencies(
  python: string,
  dovecot: RunningDovecot,
  deliveries: number,
  subject: Subject,
): Promise<Result> {
  const child = spawn(python, [poplibScript, dovecot.host, String(dovecot.pop3Port), USER, '1.0'], {
    env: { ...process.env, BENCH_POP3_PASSWORD: dovecot.users[0]!.password },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let i = 0;
  try {
    return await measure(subject, deliveries, async () => {
      const token = randomBytes(6).toString('hex');
      child.stdin.write(`WAIT ${token}\n`);
      await sleep(delayBefore(i++));
      await dovecot.deliver(USER, mail(token));
      const delivered = Date.now();
      const line = await lines.next();
      const found = /^FOUND ([\d.]+)$/.exec(String(line.value ?? ''));
      if (!found) throw new Error(`poplib loop said ${JSON.stringify(line.value)}`);
      return Number(found[1]) - delivered;
    });
  } finally {
    child.stdin.end();
    child.kill();
  }
}

export async function fixtureGroup(
  options: BenchOptions,
): Promise<{ results: Result[]; targets: TargetCheck[]; details?: string }> {
  const deliveries = options.quick ? 5 : 100;
  const base = { group: GROUP, case: `${deliveries} deliveries, 0–1 s after the wait starts`, unit: 'ms' };
  const subjects = {
    fixture: { ...base, subject: '@webpop/playwright waitForMessage (TLS, pipelined, backing off)' },
    poplib: { ...base, subject: 'Python poplib loop (plain USER/PASS, one command at a time, 1 s sleep)' },
  } satisfies Record<string, Subject>;
  if (!findTool('dovecot')) {
    return {
      results: [skipped(subjects.fixture, missing('dovecot')), skipped(subjects.poplib, missing('dovecot'))],
      targets: [],
    };
  }
  const python = findTool('python3');
  const dovecot = await startDovecot({
    users: [{ username: USER, password: randomBytes(12).toString('hex') }],
  });
  try {
    progress('fixture: delivery to waitForMessage');
    const fixture = await fixtureLatencies(dovecot, deliveries, subjects.fixture);
    const poplib = python
      ? await poplibLatencies(python, dovecot, deliveries, subjects.poplib)
      : skipped(subjects.poplib, missing('python3'));
    const describe = (result: Result) =>
      result.samples.length > 0
        ? `p50 ${round(percentile(result.samples, 50))} ms, p99 ${round(percentile(result.samples, 99))} ms`
        : (result.skipped ?? 'no figure');
    const details = [
      `Delivery to resolve over ${deliveries} deliveries:`,
      `- ${subjects.fixture.subject}: ${describe(fixture)}`,
      `- ${subjects.poplib.subject}: ${describe(poplib)}`,
    ].join('\n');
    return { results: [fixture, poplib], targets: [], details };
  } finally {
    await dovecot.stop();
  }
}
