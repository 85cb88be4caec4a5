// Real Caddy (the Debian package) running the documented caddy/Caddyfile, with only the site address
// (a loopback port and the throwaway certificate instead of ACME), the upstream ports and Caddy's own
// state directories replaced: see support/behind-proxy.ts for what is tested.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { freeLoopbackPort, waitForPort } from '@webpop/testkit';
import { describeBehindProxy } from './support/behind-proxy.js';

const CADDY = '/usr/bin/caddy';

describeBehindProxy('Caddy', existsSync(CADDY), async ({ dir, bridgePorts }) => {
  const port = await freeLoopbackPort();
  let conf = await readFile(new URL('../caddy/Caddyfile', import.meta.url), 'utf8');
  const replace = (pattern: RegExp, replacement: string) => {
    expect(conf, String(pattern)).toMatch(pattern);
    conf = conf.replace(pattern, replacement);
  };
  replace(
    /^mail\.example\.org \{$/m,
    `https://127.0.0.1:${port} {\n\ttls ${join(dir, 'cert.pem')} ${join(dir, 'key.pem')}`,
  );
  replace(
    /reverse_proxy 127\.0\.0\.1:8080 127\.0\.0\.1:8081/,
    `reverse_proxy 127.0.0.1:${bridgePorts[0]} 127.0.0.1:${bridgePorts[1]}`,
  );
  // Test-only global options: no admin endpoint, no redirect listener on port 80, state in the temp dir.
  const file = join(dir, 'Caddyfile');
  await writeFile(
    file,
    `{\n\tadmin off\n\tauto_https disable_redirects\n\tstorage file_system ${join(dir, 'caddy')}\n}\n\n${conf}`,
  );
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
  const check = spawnSync(CADDY, ['validate', '--adapter', 'caddyfile', '--config', file], {
    encoding: 'utf8',
    env,
  });
  expect(check.status, check.stderr).toBe(0);
  const caddy = spawn(CADDY, ['run', '--adapter', 'caddyfile', '--config', file], {
    env,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise((resolve) => caddy.once('exit', resolve));
  await waitForPort(port, { what: 'caddy' });
  return {
    port,
    stop: async () => {
      if (caddy.exitCode === null) caddy.kill('SIGTERM');
      await exited;
    },
  };
});
