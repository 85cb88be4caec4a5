import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestCertificates, freeLoopbackPort, startPop3Server } from '@webpop/testkit';
import { parseInvocation } from '../src/index.js';
import { PASSWORD, serverArgs, serverPerTest, webpop, withTempDir } from './helpers.js';
import { standardMailbox } from './messages.js';

const start = serverPerTest({
  accounts: [{ username: 'alice', password: PASSWORD, messages: standardMailbox().slice(0, 2) }],
});

describe('--json on failure', () => {
  it('prints one JSON object with the error and the exit code, for server and usage errors alike', async () => {
    const port = await freeLoopbackPort();
    const refused = await webpop(
      ['stat', '--host', '127.0.0.1', '--port', String(port), '--security', 'none'].concat([
        '--user',
        'alice',
        '--json',
      ]),
    );
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual({
      error: `cannot connect to 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
      exitCode: 1,
    });
    const usage = await webpop(['list', '--user', 'alice', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      error: '--host is required (the POP3 server, e.g. --host pop.example.org)',
      exitCode: 2,
    });
  });

  it('fetch prints only its summary (which has the error), still one JSON document', async () => {
    const pop3 = await start({
      faults: { dropAfterCommand: { command: 'RETR', after: 1, midResponseBytes: 40 } },
    });
    await withTempDir(async (dir) => {
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', dir, '--json']);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toHaveProperty('error');
    });
  });
});

describe('fetch after a failed login', () => {
  it('creates no folder', async () => {
    const pop3 = await start();
    await withTempDir(async (dir) => {
      const out = join(dir, 'new-folder');
      const result = await webpop(['fetch', ...serverArgs(pop3), '--out', out], {
        env: { WEBPOP_PASSWORD: 'wrong', XDG_STATE_HOME: join(dir, 'state') },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^webpop: login failed for user alice/);
      await expect(access(out)).rejects.toThrow(/ENOENT/);
    });
  });
});

describe('hints that match the mistake', () => {
  it('--security tls on a port that starts plain suggests --security starttls', async () => {
    const pop3 = await start();
    const result = await webpop([
      'stat',
      '--host',
      '127.0.0.1',
      '--port',
      String(pop3.port),
      '--user',
      'alice',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^webpop: TLS problem: TLS with 127\.0\.0\.1:\d+ failed: .* \(the server did not answer in TLS: if this port starts plain and offers STLS, as port 110 does, use --security starttls\)\n$/,
    );
  });

  it('--security starttls on an implicit-TLS port suggests --security tls', async () => {
    const certificates = await createTestCertificates();
    const implicit = await startPop3Server({
      accounts: [{ username: 'alice', password: PASSWORD, messages: [] }],
      tls: { key: certificates.keyPem, cert: certificates.certPem },
      implicitTls: true,
    });
    try {
      const result = await webpop(
        ['stat', '--host', '127.0.0.1', '--port', String(implicit.port), '--security', 'starttls'].concat([
          '--user',
          'alice',
          '--timeout',
          '0.3',
        ]),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^webpop: timed out: greeting\b.* \(a server that expects TLS from the first byte, as on port 995, says nothing to a plain connection: try --security tls\)\n$/,
      );
    } finally {
      await implicit.close();
    }
  });
});

describe('--host HOST:PORT', () => {
  it('is understood, for names, IPv4 and bracketed IPv6', async () => {
    const pop3 = await start();
    const result = await webpop([
      'stat',
      '--host',
      `127.0.0.1:${pop3.port}`,
      '--security',
      'none',
      '--user',
      'alice',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ count: 2 });
    const hostOf = (host: string) => {
      const invocation = parseInvocation(['capa', '--host', host]);
      if (invocation.kind !== 'command') throw new Error('not a command');
      return [invocation.parsed.connection.host, invocation.parsed.connection.port];
    };
    expect(hostOf('pop.example.org:1995')).toEqual(['pop.example.org', 1995]);
    expect(hostOf('[::1]:1995')).toEqual(['::1', 1995]);
    expect(hostOf('::1')).toEqual(['::1', 995]);
    expect(hostOf('pop.example.org')).toEqual(['pop.example.org', 995]);
  });

  it.each([
    [['--host', 'h:110', '--port', '995'], '--host h:110 names port 110, --port says 995: give one'],
    [
      ['--host', 'pop3s://pop.example.org'],
      '--host takes a host name, not a URL: write --host pop.example.org (with --security tls or starttls for pop3s://)',
    ],
    [['--host', 'h:pop3'], "--host h:pop3: the part after ':' must be a port number (or use --port)"],
  ])('%j is a usage error', async (args, message) => {
    const result = await webpop(['capa', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`webpop: ${message}\nTry 'webpop capa --help'.\n`);
  });
});
