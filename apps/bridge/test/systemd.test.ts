// The shipped systemd unit (systemd/webpop-bridge.service) checked by systemd itself: `systemd-analyze
// verify` (syntax, every key known, the executables there) and `systemd-analyze security --offline`
// (the sandbox's exposure score), with only the executable's path pointed at this checkout. The
// machine's systemd need not be running. Needs systemd-analyze (Debian `systemd`).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/schema.js';
import { stopAll, tempFiles } from './support/bridge.js';

const run = promisify(execFile);
const ANALYZE = '/usr/bin/systemd-analyze';
const UNIT = fileURLToPath(new URL('../systemd/webpop-bridge.service', import.meta.url));
const INSTALLED_BIN = '/usr/local/bin/webpop-bridge';
const CHECKOUT_BIN = fileURLToPath(new URL('../bin/webpop-bridge.js', import.meta.url));
/** systemd-analyze's exposure scale is 0–10 ("OK" below 4.5; this unit measured 1.5). */
const MAX_EXPOSURE = 2.0;
/** The drain's own slack after shutdownSeconds: the 1001 close handshakes get 2 s (server.ts). */
const CLOSE_HANDSHAKE_SECONDS = 2;

let unitText: string;
let unitFile: string;

/** `Key=value` lines of the unit (the last one wins, as in systemd, except for lists). */
function directives(text: string, key: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

beforeAll(async () => {
  unitText = await readFile(UNIT, 'utf8');
  expect(unitText.split(INSTALLED_BIN).length - 1, 'ExecStartPre and ExecStart').toBe(2);
  const dir = await tempFiles({});
  unitFile = join(dir, 'webpop-bridge.service');
  await writeFile(unitFile, unitText.replaceAll(INSTALLED_BIN, CHECKOUT_BIN));
});

afterAll(stopAll);

describe.skipIf(!existsSync(ANALYZE))('the systemd unit', () => {
  it('passes systemd-analyze verify with nothing to say', async () => {
    const { stderr } = await run(ANALYZE, ['verify', unitFile]);
    expect(stderr).toBe('');
  });

  it('is noticed by systemd-analyze verify when a key is misspelt (the check can fail)', async () => {
    const broken = join(await tempFiles({}), 'webpop-bridge.service');
    await writeFile(
      broken,
      unitText.replace('NoNewPrivileges=', 'NoNewPrivilege=').replaceAll(INSTALLED_BIN, CHECKOUT_BIN),
    );
    const { stderr } = await run(ANALYZE, ['verify', broken]);
    expect(stderr).toContain("Unknown key 'NoNewPrivilege'");
  });

  it(`has an exposure level of at most ${MAX_EXPOSURE} in systemd-analyze security`, async () => {
    const { stdout } = await run(ANALYZE, ['security', '--offline=yes', unitFile]);
    const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(stdout)?.[1]);
    expect(exposure).toBeLessThanOrEqual(MAX_EXPOSURE);
  });

  it('runs as a dynamic user with the sandbox the issue asks for, and not MemoryDenyWriteExecute', () => {
    expect(directives(unitText, 'DynamicUser')).toEqual(['yes']);
    expect(directives(unitText, 'ProtectSystem')).toEqual(['strict']);
    expect(directives(unitText, 'NoNewPrivileges')).toEqual(['yes']);
    expect(directives(unitText, 'RestrictAddressFamilies')).toEqual(['AF_INET AF_INET6 AF_UNIX']);
    expect(directives(unitText, 'ExecStartPre')).toEqual([
      `${INSTALLED_BIN} --check --config /etc/webpop/bridge.json`,
    ]);
    // V8's JIT needs writable and executable memory: Node does not start under it.
    expect(directives(unitText, 'MemoryDenyWriteExecute')).toEqual([]);
  });

  it('waits longer for a stop than the drain takes', () => {
    const [timeout] = directives(unitText, 'TimeoutStopSec');
    const seconds = Number(/^(\d+)s$/.exec(timeout ?? '')?.[1]);
    expect(seconds).toBeGreaterThan(defaultConfig.shutdownSeconds + CLOSE_HANDSHAKE_SECONDS);
  });
});
