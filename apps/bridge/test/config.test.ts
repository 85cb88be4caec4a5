// Configuration: defaults, validation messages that name the key, files read at load.
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCertificates } from '@webpop/testkit';
import { defaultStaticDir, loadConfig, loadConfigFile } from '../src/config/load.js';
import { defaultConfig, validateConfig } from '../src/config/schema.js';
import { stopAll, tempFiles } from './support/bridge.js';
import { mainRunsTimeout, runMain } from './support/run-main.js';

afterEach(stopAll);

describe('configuration', () => {
  it('has safe defaults for every key', () => {
    const config = validateConfig({});
    expect(config).toEqual(defaultConfig);
    expect(config).toMatchObject({
      listen: { host: '127.0.0.1', port: 8080 },
      origins: null,
      servers: [],
      allowAnyTarget: false,
      anyTargetPorts: [110, 995],
      tls: null,
      trustedProxies: [],
      shutdownSeconds: 30,
      session: { idleMinutes: 30, sharedComputerDefault: false, rememberPasswords: false },
      limits: {
        connections: 1000,
        connectionsPerIp: 20,
        connectionsPerIpPerMinute: 60,
        idleSeconds: 300,
        sessionSeconds: 3600,
        connectSeconds: 15,
        bufferBytes: 1048576,
        maxFrameBytes: 65536,
        handshakeSeconds: 10,
        handshakesPerIp: 20,
      },
    });
    expect(loadConfig({}).staticDir).toBe(defaultStaticDir);
    expect(defaultStaticDir).toMatch(/apps\/web\/dist$/);
  });

  it('fills server defaults: label = id, security tls, port by security; normalises pins and origins', () => {
    const config = validateConfig({
      servers: [
        { id: 'a', host: 'POP.Example.org' },
        { id: 'b', host: 'pop.example.org', security: 'starttls', label: 'B' },
        { id: 'c', host: 'pop.example.org', security: 'tls', fingerprint256: 'ab'.repeat(32) },
      ],
      origins: ['https://Mail.Example.org', 'http://localhost:5173/'],
    });
    expect(config.servers[0]).toEqual({
      id: 'a',
      label: 'a',
      host: 'pop.example.org',
      port: 995,
      security: 'tls',
    });
    expect(config.servers[1]).toMatchObject({ port: 110, label: 'B' });
    expect(config.servers[2]?.fingerprint256).toBe(Array(32).fill('AB').join(':'));
    expect(config.origins).toEqual(['https://mail.example.org', 'http://localhost:5173']);
  });

  it('hosts in canonical form (lower case, IPv6 in brackets); metrics readers default to loopback', () => {
    const config = validateConfig({ hosts: ['Mail.Example.org.', '::1', '192.0.2.1'] });
    expect(config.hosts).toEqual(['mail.example.org', '[::1]', '192.0.2.1']);
    expect(config.metrics).toEqual({ allow: ['127.0.0.0/8', '::1'] });
    expect(validateConfig({}).hosts).toBeNull();
  });

  it.each([
    [{ listne: {} }, /^listne: unknown key \(known: listen, origins/],
    [{ limits: { connection: 5 } }, /^limits\.connection: unknown key/],
    [{ limits: { connections: 0 } }, /^limits\.connections: expected an integer from 1/],
    [{ limits: { bufferBytes: '1M' } }, /^limits\.bufferBytes: expected an integer/],
    [{ listen: { port: 70000 } }, /^listen\.port: expected an integer from 0 to 65535, got 70000/],
    [{ servers: [{ id: 'x' }] }, /^servers\[0\]\.host: expected a non-empty string, got nothing/],
    [
      { servers: [{ id: 'x', host: 'h', security: 'ssl' }] },
      /^servers\[0\]\.security: expected "tls", "starttls" or "none"/,
    ],
    [{ servers: [{ id: 'bad id', host: 'h' }] }, /^servers\[0\]\.id: use letters/],
    [
      {
        servers: [
          { id: 'x', host: 'h' },
          { id: 'x', host: 'i' },
        ],
      },
      /^servers\[1\]\.id: "x" is used twice/,
    ],
    [{ servers: [{ id: 'x', host: 'pop://h:110' }] }, /^servers\[0\]\.host: a host name or address/],
    [
      { servers: [{ id: 'x', host: 'h', proxyProtocol: 'v3' }] },
      /^servers\[0\]\.proxyProtocol: expected "v1" or "v2", got "v3"$/,
    ],
    [
      { servers: [{ id: 'x', host: 'h', fingerprint256: 'abc' }] },
      /^servers\[0\]\.fingerprint256: expected 32 hex/,
    ],
    [
      { servers: [{ id: 'x', host: 'h', ca: 'a.pem', fingerprint256: 'ab'.repeat(32) }] },
      /give either "ca" or "fingerprint256"/,
    ],
    [{ servers: [{ id: 'x', host: 'h', security: 'none', ca: 'a.pem' }] }, /"none" has no TLS/],
    [{ servers: [{ id: 'x', host: 'h', extra: 1 }] }, /^servers\[0\]\.extra: unknown key/],
    [
      { servers: [{ id: 'x', host: 'h', mailDomain: 'demo@example.org' }] },
      /^servers\[0\]\.mailDomain: a domain/,
    ],
    [{ servers: [{ id: 'x', host: 'h', mailDomain: 'localhost' }] }, /^servers\[0\]\.mailDomain: a domain/],
    [{ servers: [{ id: 'x', host: 'h', mailDomain: 'bücher.example' }] }, /xn-- form/],
    [{ origins: [] }, /^origins: must not be empty/],
    [{ origins: ['mail.example.org'] }, /^origins\[0\]: "mail.example.org" is not an origin/],
    [{ origins: ['https://mail.example.org/app'] }, /^origins\[0\]: .* is not an origin/],
    [{ hosts: [] }, /^hosts: must not be empty/],
    [{ hosts: ['https://mail.example.org'] }, /^hosts\[0\]: .* is not a host name/],
    [{ hosts: ['mail.example.org:8080'] }, /^hosts\[0\]: .* is not a host name/],
    [{ metrics: { allow: ['everyone'] } }, /^metrics\.allow\[0\]: "everyone" is not an IP address/],
    [{ metrics: { listen: {} } }, /^metrics\.listen: unknown key/],
    [{ allowAnyTarget: 'yes' }, /^allowAnyTarget: expected true or false/],
    [{ anyTargetPorts: [0] }, /^anyTargetPorts\[0\]: expected an integer from 1/],
    [
      { trustedProxies: ['10.0.0.0/40'] },
      /^trustedProxies\[0\]: "10.0.0.0\/40" is not an IP address or CIDR range/,
    ],
    [{ tls: { cert: 'c.pem' } }, /^tls\.key: expected a non-empty string/],
    [{ shutdownSeconds: -1 }, /^shutdownSeconds: expected an integer from 0/],
    [{ session: { idleMinutes: 2.5 } }, /^session\.idleMinutes: expected an integer from 0 to 10080/],
    [
      { session: { sharedComputerDefault: 'yes' } },
      /^session\.sharedComputerDefault: expected true or false/,
    ],
    [{ session: { rememberPasswords: 1 } }, /^session\.rememberPasswords: expected true or false/],
    [{ session: { lockAfter: 5 } }, /^session\.lockAfter: unknown key/],
    [[], /^config: expected an object/],
  ])('rejects %j', (input, message) => {
    expect(() => validateConfig(input)).toThrow(message);
  });

  it('reads CA and certificate files relative to the configuration file, and says which file is wrong', async () => {
    const certificates = await createTestCertificates();
    const dir = await tempFiles({
      'ca.pem': certificates.caPem,
      'key.pem': certificates.keyPem,
      'cert.pem': certificates.certPem,
      'not-pem.txt': 'hello',
      'bridge.json': JSON.stringify({
        servers: [{ id: 'x', host: 'localhost', ca: 'ca.pem' }],
        tls: { cert: 'cert.pem', key: 'key.pem' },
        staticDir: 'web',
      }),
      'broken.json': '{ "servers": [ }',
      'missing-ca.json': JSON.stringify({ servers: [{ id: 'x', host: 'h', ca: 'nope.pem' }] }),
      'bad-ca.json': JSON.stringify({ servers: [{ id: 'x', host: 'h', ca: 'not-pem.txt' }] }),
      // One base64 line short: the DER inside no longer parses.
      'mangled.pem': certificates.caPem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\n'),
      'mangled-ca.json': JSON.stringify({ servers: [{ id: 'x', host: 'h', ca: 'mangled.pem' }] }),
      'other-key.pem': (await createTestCertificates()).keyPem,
      'wrong-key.json': JSON.stringify({ tls: { cert: 'cert.pem', key: 'other-key.pem' } }),
      'no-key.json': JSON.stringify({ tls: { cert: 'cert.pem', key: 'ca.pem' } }),
    });
    const config = loadConfigFile(join(dir, 'bridge.json'));
    expect(config.servers[0]?.caPem).toBe(certificates.caPem);
    expect(config.tls).toEqual({ certPem: certificates.certPem, keyPem: certificates.keyPem });
    expect(config.staticDir).toBe(join(dir, 'web'));
    expect(() => loadConfigFile(join(dir, 'broken.json'))).toThrow(/broken\.json is not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing-ca.json'))).toThrow(
      /servers\[0\]\.ca: cannot read .*nope\.pem \(ENOENT\)/,
    );
    expect(() => loadConfigFile(join(dir, 'bad-ca.json'))).toThrow(/holds no PEM certificate/);
    expect(() => loadConfigFile(join(dir, 'mangled-ca.json'))).toThrow(
      /servers\[0\]\.ca: mangled\.pem holds a certificate that does not parse/,
    );
    expect(() => loadConfigFile(join(dir, 'wrong-key.json'))).toThrow(
      /tls\.key: other-key\.pem is no key for tls\.cert/,
    );
    expect(() => loadConfigFile(join(dir, 'no-key.json'))).toThrow(
      /tls\.key: ca\.pem is no key for tls\.cert/,
    );
    expect(() => loadConfigFile(join(dir, 'absent.json'))).toThrow(/cannot read the configuration file/);
  });

  it(
    'the executable validates with --check and names the bad key, from --config or WEBPOP_CONFIG',
    { timeout: mainRunsTimeout(7) },
    async () => {
      const web = await tempFiles({ 'index.html': '<!doctype html>' });
      const dir = await tempFiles({
        'good.json': JSON.stringify({
          servers: [{ id: 'x', host: 'h' }],
          listen: { port: 0 },
          staticDir: web,
        }),
        'bad.json': JSON.stringify({ limits: { idleSecond: 5 } }),
      });
      const good = await runMain(['--config', join(dir, 'good.json'), '--check']);
      expect(good.status).toBe(0);
      expect(good.stdout).toMatch(/configuration is valid \(1 servers\)/);
      const bad = await runMain(['--check'], { WEBPOP_CONFIG: join(dir, 'bad.json') });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/limits\.idleSecond: unknown key/);
      // What would only fail at start: the port in use (named), a host not of this machine, no static files.
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as net.AddressInfo).port;
      await writeFile(join(dir, 'in-use.json'), JSON.stringify({ listen: { port }, staticDir: web }));
      await writeFile(
        join(dir, 'foreign.json'),
        JSON.stringify({ listen: { host: '192.0.2.1', port: 0 }, staticDir: web }),
      );
      await writeFile(
        join(dir, 'no-web.json'),
        JSON.stringify({ listen: { port: 0 }, staticDir: 'nowhere' }),
      );
      try {
        const inUse = await runMain(['--config', join(dir, 'in-use.json'), '--check']);
        expect(inUse.status).toBe(2);
        expect(inUse.stderr).toContain(`listen: 127.0.0.1:${port} is already in use`);
        const started = await runMain(['--config', join(dir, 'in-use.json')]);
        expect(started.status).toBe(1);
        expect(started.stderr).toContain(`listen: 127.0.0.1:${port} is already in use`);
      } finally {
        taken.close();
      }
      const foreign = await runMain(['--config', join(dir, 'foreign.json'), '--check']);
      expect(foreign.status).toBe(2);
      expect(foreign.stderr).toContain('listen.host: 192.0.2.1 is not an address of this machine');
      const noWeb = await runMain(['--config', join(dir, 'no-web.json'), '--check']);
      expect(noWeb.status).toBe(2);
      expect(noWeb.stderr).toMatch(/staticDir: .*nowhere is not a directory/);
      const help = await runMain(['--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/Usage: webpop-bridge/);
    },
  );
});
