// Real HAProxy (the Debian package) running the documented haproxy/haproxy.cfg, with only the bind
// addresses, the certificate file and the bridges' ports replaced: see support/behind-proxy.ts for
// what is tested.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { freeLoopbackPort, waitForPort } from '@webpop/testkit';
import { describeBehindProxy } from './support/behind-proxy.js';

const HAPROXY = '/usr/sbin/haproxy';

describeBehindProxy('HAProxy', existsSync(HAPROXY), async ({ dir, bridgePorts, certificates }) => {
  const port = await freeLoopbackPort();
  const httpPort = await freeLoopbackPort();
  let conf = await readFile(new URL('../haproxy/haproxy.cfg', import.meta.url), 'utf8');
  const replace = (pattern: RegExp, replacement: string) => {
    expect(conf, String(pattern)).toMatch(pattern);
    conf = conf.replace(pattern, replacement);
  };
  const pem = join(dir, 'haproxy.pem');
  await writeFile(pem, `${certificates.certPem}\n${certificates.keyPem}`);
  replace(/bind :80$/m, `bind 127.0.0.1:${httpPort}`);
  replace(/bind :443 ssl crt \S+/, `bind 127.0.0.1:${port} ssl crt ${pem}`);
  replace(/server bridge1 127\.0\.0\.1:8080/, `server bridge1 127.0.0.1:${bridgePorts[0]}`);
  replace(/server bridge2 127\.0\.0\.1:8081/, `server bridge2 127.0.0.1:${bridgePorts[1]}`);
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, conf);
  const check = spawnSync(HAPROXY, ['-c', '-f', file], { encoding: 'utf8' });
  expect(check.status, check.stdout + check.stderr).toBe(0);
  // -db: in the foreground, without forking.
  const haproxy = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'ignore'] });
  const exited = new Promise((resolve) => haproxy.once('exit', resolve));
  await waitForPort(port, { what: 'haproxy' });
  return {
    port,
    stop: async () => {
      if (haproxy.exitCode === null) haproxy.kill('SIGTERM');
      await exited;
    },
  };
});
