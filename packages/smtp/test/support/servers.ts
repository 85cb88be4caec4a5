import {
  createTestCertificates,
  startSmtpServer,
  type RunningSmtpServer,
  type SmtpServerOptions,
  type TestCertificates,
} from '@webpop/testkit';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { connectSmtp, type ConnectSmtpOptions } from '../../src/node/index.js';
import type { LogEntry } from '../../src/connection.js';

export const ALICE = { username: 'alice', password: 'wonderland-secret' };

/** Starts a testkit SMTP server per test (stopped after it), with the suite's certificates. */
export function smtpServers() {
  let certificates: TestCertificates;
  const running: RunningSmtpServer[] = [];
  beforeAll(async () => {
    certificates = await createTestCertificates();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });
  afterAll(() => undefined);
  return {
    async start(options: SmtpServerOptions = {}) {
      const server = await startSmtpServer({
        tls: { key: certificates.keyPem, cert: certificates.certPem },
        accounts: { [ALICE.username]: ALICE.password },
        ...options,
      });
      running.push(server);
      return server;
    },
    /** Connects with STARTTLS and alice's password unless told otherwise; `log` collects the dialogue. */
    connect(server: RunningSmtpServer, options: Partial<ConnectSmtpOptions> = {}, log: LogEntry[] = []) {
      return connectSmtp({
        host: 'localhost',
        port: server.port,
        security: 'starttls',
        ca: certificates.caPem,
        credentials: ALICE,
        onLog: (entry) => log.push(entry),
        ...options,
      });
    },
    get certificates() {
      return certificates;
    },
  };
}

export const bytes = (text: string) => new TextEncoder().encode(text);

const MiB = 1024 * 1024;

/** `chunks` MiB of message lines, made as they are pulled (one 1 MiB chunk reused), counting the pulls. */
export function largeSource(chunks: number) {
  const line = Buffer.from('x'.repeat(78) + '\r\n');
  const chunk = new Uint8Array(Buffer.concat(Array.from({ length: MiB / line.length }, () => line)));
  const source = {
    pulledBytes: 0,
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < chunks; i++) {
        source.pulledBytes += chunk.length;
        yield chunk;
      }
    },
  };
  return source;
}
