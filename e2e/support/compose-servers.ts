// The servers behind writing mail: a real Dovecot (its authentication service open to Postfix), a real
// Postfix submission server delivering into Dovecot's maildirs, testkit's scriptable SMTP server for
// faults, and a real bridge whose servers name each as the submission server beside Dovecot's POP3.
// Started once per worker by compose.spec.ts; Postfix's master needs root (CI runs as root).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBridge } from '@webpop/bridge';
import {
  createTestCertificates,
  startSmtpServer,
  startSubmissionServers,
  type RunningDovecot,
  type RunningPostfix,
  type RunningSmtpServer,
} from '@webpop/testkit';
import { builtApp } from '../global-setup.js';
import type { User } from './servers.js';

export interface ComposeServers {
  readonly url: string;
  readonly dovecot: RunningDovecot;
  readonly postfix: RunningPostfix;
  /** The `faulty` server's submission server: testkit's, with faults switched by the test. */
  readonly faultySmtp: RunningSmtpServer;
  /** Writes through Postfix (bridge server `mta`) and through the faulty one (`faulty`). */
  readonly writer: User;
  /** Gets the writer's mail in her maildir (and wrote the writer's first message). */
  readonly ana: User;
  stop(): Promise<void>;
}

/** The message in the writer's Inbox at the start: from Ana, in a thread (for the reply). */
export const plans = {
  subject: 'Plans for Köln',
  messageId: '<plans@example.test>',
  references: '<root@example.test>',
  line: 'Shall we meet at the station?',
  bytes: new TextEncoder().encode(
    [
      'From: Ana <ana@example.test>',
      'To: Writer <writer@example.test>',
      'Subject: =?UTF-8?Q?Plans_for_K=C3=B6ln?=',
      'Date: Tue, 01 Dec 2026 09:00:00 +0000',
      'Message-ID: <plans@example.test>',
      'In-Reply-To: <root@example.test>',
      'References: <root@example.test>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Shall we meet at the station?',
      '',
    ].join('\r\n'),
  ),
};

export async function startComposeServers(): Promise<ComposeServers> {
  const password = () => randomBytes(9).toString('base64url');
  const writer = { username: 'writer', password: password() };
  const ana = { username: 'ana', password: password() };
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    const submission = await startSubmissionServers({
      users: [writer, ana],
      messages: { writer: [plans.bytes] },
    });
    stops.push(() => submission.stop());
    const { dovecot, postfix } = submission;
    const certificates = await createTestCertificates();
    const faultySmtp = await startSmtpServer({
      tls: { key: certificates.keyPem, cert: certificates.certPem },
      accounts: { [writer.username]: writer.password },
    });
    stops.push(() => faultySmtp.close());
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'webpop-e2e-compose-'));
    stops.push(async () => rmSync(tmp, { recursive: true, force: true }));
    const file = (name: string, pem: string) => {
      writeFileSync(path.join(tmp, name), pem);
      return path.join(tmp, name);
    };
    const dovecotCa = file('dovecot-ca.pem', dovecot.caPem);
    const pop3s = { host: dovecot.host, port: dovecot.pop3sPort, security: 'tls', ca: dovecotCa } as const;
    const bridge = await startBridge(
      {
        listen: { host: '127.0.0.1', port: 0 },
        servers: [
          {
            id: 'mta',
            label: 'Dovecot and Postfix',
            ...pop3s,
            submission: {
              host: postfix.host,
              port: postfix.submissionPort,
              security: 'starttls',
              ca: file('postfix-ca.pem', postfix.caPem),
            },
          },
          {
            id: 'faulty',
            label: 'Dovecot and a faulty submission server',
            ...pop3s,
            submission: {
              host: faultySmtp.host,
              port: faultySmtp.port,
              security: 'starttls',
              ca: file('faulty-ca.pem', certificates.caPem),
            },
          },
        ],
        staticDir: builtApp,
        shutdownSeconds: 1,
      },
      { log: () => {} },
    );
    stops.push(() => bridge.close());
    return { url: bridge.url, dovecot, postfix, faultySmtp, writer, ana, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
