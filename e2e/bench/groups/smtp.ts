// SMTP submission to a real Postfix (testkit's: STARTTLS required, AUTH checked by Dovecot, delivery
// into Dovecot's maildir): a 25 MB attachment sent by the engine through our bridge, by the engine
// over direct TCP, by curl smtp:// and by nodemailer; and 100 small messages in one session with and
// without PIPELINING, on loopback and over a link with 25 ms each way. Each figure covers the whole
// session (connect, STARTTLS, AUTH, the sends, QUIT); Postfix's delivery is waited for between runs.
import { isAscii } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Credentials, SmtpClient } from '@webpop/smtp';
import { connectSmtp } from '@webpop/smtp/node';
import {
  attachmentPart,
  multipartMessage,
  postfixAvailable,
  startPostfix,
  startSubmissionServers,
  type RunningPostfix,
  type RunningSubmissionServers,
} from '@webpop/testkit';
import { startBridgeProcess } from '../lib/bridge-process.js';
import { startDelayProxy } from '../lib/delay-proxy.js';
import type { GroupOutcome } from '../lib/group.js';
import { measure, progress, skipped, type Subject } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import { processCpuMs, treeCpuMs } from '../lib/process-cpu.js';
import { medianOf, type Result, type TargetCheck } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { submissionThroughBridge } from '../lib/submission-transports.js';
import { findTool, missing } from '../lib/tools.js';
import { curlSmtp } from '../peers/curl-smtp.js';

const GROUP = 'smtp';
const MiB = 1024 * 1024;
const ONE_WAY_DELAY_MS = 25;
/** Untimed sessions first, the same for every sender (the bridge's relay path is warm after a few). */
const WARMUPS = 2;

const subjects = {
  bridge: 'webpop engine (Node) → our bridge → Postfix',
  direct: 'webpop engine (Node) → Postfix, direct TCP',
  curl: 'curl smtp:// → Postfix, direct TCP',
  nodemailer: 'nodemailer → Postfix, direct TCP',
  pipelined: 'webpop engine → Postfix, PIPELINING',
  unpipelined: 'webpop engine → Postfix, PIPELINING off',
  nodemailerPool: 'nodemailer (one pooled connection) → Postfix',
} as const;

/** A multipart message with one attachment of `size` random bytes, base64 in 76-character lines. */
function messageWithAttachment(from: string, to: string, size: number): Buffer {
  return multipartMessage({
    headers: [`From: ${from}`, `To: ${to}`, 'Subject: a large attachment'],
    parts: [
      { type: 'text/plain; charset=utf-8', text: 'The attachment follows.' },
      attachmentPart('application/octet-stream; name="data.bin"', randomBytes(size), 'data.bin'),
    ],
  });
}

function smallMessage(from: string, to: string, n: number): Buffer {
  const body = `Message ${n} of the session.\r\n${'A line of text to make it a usual size.\r\n'.repeat(40)}`;
  return Buffer.from(`From: ${from}\r\nTo: ${to}\r\nSubject: message ${n}\r\n\r\n${body}`);
}

/** Waits until Postfix has delivered `count` messages into the maildir, then removes them (untimed). */
async function drain(servers: RunningSubmissionServers, count: number): Promise<void> {
  const files = await servers.delivered('alice', count, 120_000);
  await Promise.all(files.map((file) => unlink(file)));
}

/** The bench process's own CPU (an in-process sender; a peer it ran and waited for), in ms. */
const ownCpuMs = () => processCpuMs(process.pid);

export async function smtpGroup(options: BenchOptions): Promise<GroupOutcome> {
  const attachmentMiB = options.quick ? 2 : 25;
  const sessionMessages = options.quick ? 10 : 100;
  const big: Subject = {
    group: GROUP,
    case: `one message with a ${attachmentMiB} MiB attachment (base64), STARTTLS + AUTH`,
    subject: '',
    unit: 'MB/s',
    note: 'message bytes (base64 attachment included) over the whole session',
  };
  const many = (link: string): Subject => ({
    group: GROUP,
    case: `${sessionMessages} messages (2 KB) in one session, ${link}`,
    subject: '',
    unit: 'messages/s',
  });
  const loopback = many('loopback');
  const delayed = many(`${ONE_WAY_DELAY_MS} ms each way`);
  const results: Result[] = [];
  if (!postfixAvailable()) {
    const reason = "needs Debian's postfix and root (apt-get install -y postfix)";
    for (const subject of [subjects.bridge, subjects.direct, subjects.curl, subjects.nodemailer]) {
      results.push(skipped({ ...big, subject }, reason));
    }
    for (const subject of [subjects.pipelined, subjects.unpipelined, subjects.nodemailerPool]) {
      results.push(skipped({ ...loopback, subject }, reason), skipped({ ...delayed, subject }, reason));
    }
    return { results, targets: smtpTargets(results, big, delayed) };
  }

  const alice = { username: 'alice', password: randomBytes(9).toString('base64url') };
  progress('smtp: Dovecot and two Postfix instances (with and without PIPELINING)');
  const servers = await startSubmissionServers({
    users: [alice],
    extraConfig: 'mail_max_userip_connections = 1000',
  });
  const { dovecot, postfix } = servers;
  const dir = await mkdtemp(join(tmpdir(), 'webpop-bench-smtp-'));
  let unpipelined: RunningPostfix | undefined;
  try {
    unpipelined = await startPostfix({ dovecot, extraConfig: 'smtpd_discard_ehlo_keywords = pipelining' });
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, postfix.caPem);
    const address = postfix.address('alice');
    const envelope = { from: address, to: [address] };
    const credentials: Credentials = { ...alice };
    // Each instance has its own throwaway CA: both are trusted.
    const ca = [postfix.caPem, unpipelined.caPem];
    const direct = (port: number) =>
      connectSmtp({ host: '127.0.0.1', port, security: 'starttls', ca, credentials });

    // The large attachment.
    const message = messageWithAttachment(address, address, attachmentMiB * MiB);
    const messageFile = join(dir, 'message.eml');
    await writeFile(messageFile, message);
    /** CPU of the sending side per message, for each subject (the bench process: engine, ws, curl). */
    const senderCpu = new Map<string, number[]>();
    const throughput = async (subject: string, send: () => Promise<unknown>) => {
      const cpuBefore = ownCpuMs();
      const started = performance.now();
      await send();
      const seconds = (performance.now() - started) / 1000;
      senderCpu.set(subject, [...(senderCpu.get(subject) ?? []), ownCpuMs() - cpuBefore]);
      await drain(servers, 1);
      return message.length / MiB / seconds;
    };
    const cpuRow = (subject: string): Result => ({
      ...big,
      subject: `${subject}: CPU of the sender`,
      unit: 'ms',
      note: undefined,
      samples: (senderCpu.get(subject) ?? []).slice(-options.runs),
    });
    // The page's compose knows whether it wrote an 8-bit byte (Submission.eightBit) and says so: the
    // bridge row, which stands for the page, passes it as the page does. The direct row lets the
    // engine scan, as for an .eml. The message is checked untimed, so the bench never declares wrong.
    if (!isAscii(message)) throw new Error('the attachment message is not 7-bit');
    const sendOne = async (open: () => Promise<SmtpClient>, eightBit?: boolean) => {
      const client = await open();
      const result = await client.send(envelope, message, eightBit === undefined ? {} : { eightBit });
      if (result.accepted.length !== 1) throw new Error('not accepted');
      await client.quit();
    };

    const bridge = await startBridgeProcess({
      servers: [
        {
          id: 'postfix',
          host: dovecot.host,
          port: dovecot.pop3Port,
          security: 'none',
          submission: { host: '127.0.0.1', port: postfix.submissionPort, security: 'starttls', ca: caFile },
        },
      ],
      limits: { connectionsPerIpPerMinute: 100_000 },
    });
    try {
      const relayCpu: number[] = [];
      results.push(
        await measure(
          { ...big, subject: subjects.bridge },
          options.runs,
          async () => {
            const before = treeCpuMs(bridge.pid);
            const value = await throughput(subjects.bridge, () =>
              sendOne(() => submissionThroughBridge(bridge, 'postfix', credentials), false),
            );
            relayCpu.push(treeCpuMs(bridge.pid) - before);
            return value;
          },
          WARMUPS,
        ),
        {
          ...big,
          subject: `${subjects.bridge}: CPU of the bridge`,
          unit: 'ms',
          note: undefined,
          samples: relayCpu.slice(-options.runs),
        },
        cpuRow(subjects.bridge),
      );
    } finally {
      await bridge.stop();
    }
    results.push(
      await measure(
        { ...big, subject: subjects.direct },
        options.runs,
        () => throughput(subjects.direct, () => sendOne(() => direct(postfix.submissionPort))),
        WARMUPS,
      ),
      cpuRow(subjects.direct),
    );
    const curl = findTool('curl');
    results.push(
      curl
        ? await measure(
            { ...big, subject: subjects.curl },
            options.runs,
            async () => {
              let seconds = 0;
              // curl's own figure (its time_total); its CPU is the bench process's waited-for child's.
              await throughput(subjects.curl, async () => {
                seconds = await curlSmtp(
                  curl,
                  { host: '127.0.0.1', port: postfix.submissionPort, caFile },
                  alice,
                  { from: address, to: address },
                  messageFile,
                );
              });
              return message.length / MiB / seconds;
            },
            WARMUPS,
          )
        : skipped({ ...big, subject: subjects.curl }, missing('curl')),
      ...(curl ? [cpuRow(subjects.curl)] : []),
    );
    const mailer = (port: number, pool: boolean) =>
      nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        requireTLS: true,
        tls: { ca },
        auth: { user: alice.username, pass: alice.password },
        ...(pool ? { pool: true, maxConnections: 1, maxMessages: Infinity } : {}),
      });
    results.push(
      await measure(
        { ...big, subject: subjects.nodemailer },
        options.runs,
        () =>
          throughput(subjects.nodemailer, async () => {
            const transport = mailer(postfix.submissionPort, false);
            await transport.sendMail({ envelope: { from: address, to: address }, raw: message });
            transport.close();
          }),
        WARMUPS,
      ),
      cpuRow(subjects.nodemailer),
    );

    // Many messages in one session.
    const smalls = Array.from({ length: sessionMessages }, (_, n) => smallMessage(address, address, n + 1));
    const rate = async (send: () => Promise<void>) => {
      const started = performance.now();
      await send();
      const seconds = (performance.now() - started) / 1000;
      await drain(servers, sessionMessages);
      return sessionMessages / seconds;
    };
    const engineSession = (open: () => Promise<SmtpClient>, expectPipelining: boolean) => async () => {
      const client = await open();
      for (const bytes of smalls) {
        const result = await client.send(envelope, bytes);
        if (result.pipelined !== expectPipelining) throw new Error(`pipelined: ${result.pipelined}`);
      }
      await client.quit();
    };
    const poolSession = (port: number) => async () => {
      const transport = mailer(port, true);
      for (const raw of smalls) await transport.sendMail({ envelope: { from: address, to: address }, raw });
      transport.close();
    };
    for (const [subject, delayMs] of [
      [loopback, 0],
      [delayed, ONE_WAY_DELAY_MS],
    ] as const) {
      const runs = delayMs > 0 ? Math.min(options.runs, 3) : options.runs;
      const proxies = await Promise.all(
        [postfix.submissionPort, unpipelined.submissionPort].map((port) =>
          delayMs > 0 ? startDelayProxy({ host: '127.0.0.1', port }, delayMs) : undefined,
        ),
      );
      const [on, off] = proxies.map((proxy, i) =>
        proxy ? proxy.port : [postfix.submissionPort, unpipelined!.submissionPort][i]!,
      ) as [number, number];
      try {
        results.push(
          await measure(
            { ...subject, subject: subjects.pipelined },
            runs,
            () => rate(engineSession(() => direct(on), true)),
            1,
          ),
          await measure(
            { ...subject, subject: subjects.unpipelined },
            runs,
            () => rate(engineSession(() => direct(off), false)),
            1,
          ),
          await measure(
            { ...subject, subject: subjects.nodemailerPool },
            runs,
            () => rate(poolSession(on)),
            1,
          ),
        );
      } finally {
        await Promise.all(proxies.map((proxy) => proxy?.close()));
      }
    }
  } finally {
    await unpipelined?.stop();
    await servers.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return { results, targets: smtpTargets(results, big, delayed) };
}

function smtpTargets(results: readonly Result[], big: Subject, delayed: Subject): TargetCheck[] {
  const of = (subject: Subject, name: string) =>
    medianOf(results.find((r) => r.case === subject.case && r.subject === name));
  const bridge = of(big, subjects.bridge);
  const curl = of(big, subjects.curl);
  const on = of(delayed, subjects.pipelined);
  const off = of(delayed, subjects.unpipelined);
  return [
    {
      target: 'a 25 MB attachment through our bridge ≥ 80% of curl smtp:// direct to the same Postfix',
      measured:
        bridge && curl
          ? `${round((bridge / curl) * 100)}% (${round(bridge)} vs ${round(curl)} MB/s)`
          : 'missing',
      met: bridge && curl ? bridge / curl >= 0.8 : undefined,
    },
    {
      target: `${delayed.case}: PIPELINING faster than without`,
      measured: on && off ? `${round(on / off)}× (${round(on)} vs ${round(off)} messages/s)` : 'missing',
      met: on && off ? on > off : undefined,
    },
  ];
}
