// Configuration from the environment: WEBPOP_<KEY> for every key, _FILE variants, precedence over the
// file, errors that name the variable, and --print-config with secrets redacted.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { envName, envNames, readEnvConfig } from '../src/config/env.js';
import { loadEffectiveConfig } from '../src/config/load.js';
import { printableConfig, REDACTED } from '../src/config/print.js';
import { defaultLimits } from '../src/config/schema.js';
import { stopAll, tempFiles } from './support/bridge.js';
import { mainRunsTimeout, runMain } from './support/run-main.js';

afterEach(stopAll);

describe('WEBPOP_ variables', () => {
  it('are the key paths in upper snake case', () => {
    expect(envName('listen.port')).toBe('WEBPOP_LISTEN_PORT');
    expect(envName('limits.connectionsPerIpPerMinute')).toBe('WEBPOP_LIMITS_CONNECTIONS_PER_IP_PER_MINUTE');
    expect(envName('readiness.requireReachableServer')).toBe('WEBPOP_READINESS_REQUIRE_REACHABLE_SERVER');
    // Every limit has its variable, read off the defaults.
    for (const key of Object.keys(defaultLimits)) expect(envNames()).toContain(envName(`limits.${key}`));
    expect(envNames()).toEqual(
      expect.arrayContaining(['WEBPOP_ORIGINS', 'WEBPOP_TLS_KEY', 'WEBPOP_SERVERS_<n>_HOST']),
    );
  });

  it("convert numbers, booleans, lists and paths, and leave other programs' variables alone", () => {
    const { config, sources } = readEnvConfig(
      {
        WEBPOP_LISTEN_HOST: '::',
        WEBPOP_LISTEN_PORT: '8081',
        WEBPOP_ORIGINS: 'https://a.example, https://b.example',
        WEBPOP_ALLOW_ANY_TARGET: 'true',
        WEBPOP_ANY_TARGET_PORTS: '995',
        WEBPOP_LIMITS_IDLE_SECONDS: '60',
        WEBPOP_STATIC_DIR: 'web',
        WEBPOP_PASSWORD: 'the CLI reads this one',
        WEBPOP_SERVERS_0_ID: 'work',
        WEBPOP_SERVERS_0_HOST: 'pop.example.org',
        WEBPOP_SERVERS_0_PROXY_PROTOCOL: 'v2',
        WEBPOP_SERVERS_1_ID: 'lab',
        WEBPOP_SERVERS_1_HOST: '10.0.0.2',
        WEBPOP_SERVERS_1_PORT: '110',
      },
      '/srv/webpop',
    );
    expect(config).toEqual({
      listen: { host: '::', port: 8081 },
      origins: ['https://a.example', 'https://b.example'],
      allowAnyTarget: true,
      anyTargetPorts: [995],
      limits: { idleSeconds: 60 },
      staticDir: '/srv/webpop/web',
      servers: [
        { id: 'work', host: 'pop.example.org', proxyProtocol: 'v2' },
        { id: 'lab', host: '10.0.0.2', port: 110 },
      ],
    });
    expect(sources.get('listen.port')).toBe('WEBPOP_LISTEN_PORT');
    expect(sources.get('servers[1].port')).toBe('WEBPOP_SERVERS_1_PORT');
  });

  it('a typo under a known prefix, gaps in the server numbers and both server forms are errors', () => {
    expect(() => readEnvConfig({ WEBPOP_LIMITS_IDLE_SECOND: '5' })).toThrow(
      /WEBPOP_LIMITS_IDLE_SECOND: no such configuration key/,
    );
    expect(() => readEnvConfig({ WEBPOP_SERVERS_0_HOSTNAME: 'x' })).toThrow(
      /WEBPOP_SERVERS_0_HOSTNAME: no such server key/,
    );
    expect(() => readEnvConfig({ WEBPOP_SERVERS_1_ID: 'x' })).toThrow(/numbered from 0 without gaps/);
    expect(() => readEnvConfig({ WEBPOP_SERVERS: '[]', WEBPOP_SERVERS_0_ID: 'x' })).toThrow(/both set/);
  });

  it('win over the file, which wins over the defaults; _FILE reads the value from a file', async () => {
    const dir = await tempFiles({
      'bridge.json': JSON.stringify({
        listen: { host: '127.0.0.1', port: 9000 },
        limits: { idleSeconds: 100, sessionSeconds: 200 },
        servers: [{ id: 'file', host: 'pop.example.org' }],
      }),
      'servers.json': JSON.stringify([{ id: 'secret-host', host: 'pop.internal.example' }]),
    });
    const effective = loadEffectiveConfig(join(dir, 'bridge.json'), {
      WEBPOP_LISTEN_PORT: '9001',
      WEBPOP_LIMITS_IDLE_SECONDS: '50',
      WEBPOP_SERVERS_FILE: join(dir, 'servers.json'),
    });
    expect(effective.config.listen).toEqual({ host: '127.0.0.1', port: 9001 });
    expect(effective.config.limits).toMatchObject({
      idleSeconds: 50,
      sessionSeconds: 200,
      connections: 1000,
    });
    expect(effective.loaded.servers.map((s) => s.id)).toEqual(['secret-host']);
    // Values from _FILE variables are taken for secrets, so --print-config hides them.
    const printed = JSON.parse(printableConfig(effective)) as Record<string, unknown>;
    expect(printed.servers).toBe(REDACTED);
    expect(printed.listen).toEqual({ host: '127.0.0.1', port: 9001 });
  });

  it('an invalid value names its variable', () => {
    expect(() => loadEffectiveConfig(undefined, { WEBPOP_LISTEN_PORT: 'eighty' })).toThrow(
      'listen.port: expected an integer from 0 to 65535, got "eighty" (set by WEBPOP_LISTEN_PORT)',
    );
    expect(() => loadEffectiveConfig(undefined, { WEBPOP_TLS_KEY_FILE: '/nonexistent/key-path' })).toThrow(
      /WEBPOP_TLS_KEY_FILE: cannot read \/nonexistent\/key-path \(ENOENT\)/,
    );
  });

  it(
    'webpop-bridge --print-config shows the effective configuration',
    { timeout: mainRunsTimeout(1) },
    async () => {
      const dir = await tempFiles({ 'bridge.json': JSON.stringify({ servers: [{ id: 'x', host: 'h' }] }) });
      const result = await runMain(['--print-config', '--config', join(dir, 'bridge.json')], {
        WEBPOP_SHUTDOWN_SECONDS: '5',
      });
      expect(result.status).toBe(0);
      const printed = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(printed).toMatchObject({
        shutdownSeconds: 5,
        servers: [{ id: 'x', host: 'h', port: 995, security: 'tls', label: 'x' }],
        listen: { host: '127.0.0.1', port: 8080 },
      });
    },
  );
});
