#!/usr/bin/env node
// Installs the Debian packages the test suite needs (scripts/system-packages.txt), skipping those
// already installed. Uses apt-get directly as root, or through sudo; elsewhere it says what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const listFile = new URL('./system-packages.txt', import.meta.url);
const wanted = readFileSync(listFile, 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

const isInstalled = (name) =>
  spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes(
    'install ok installed',
  );

const hasAptGet = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasAptGet) {
  console.log(
    `setup:system: no apt-get here; install these packages (or their equivalents) yourself: ${wanted.join(' ')}`,
  );
  process.exit(0);
}

const missing = wanted.filter((name) => !isInstalled(name));
if (missing.length === 0) {
  console.log(`setup:system: already installed: ${wanted.join(' ')}`);
  process.exit(0);
}

const asRoot = process.getuid?.() === 0;
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const aptGet = (args) =>
  asRoot
    ? execFileSync('apt-get', args, { stdio: 'inherit', env })
    : execFileSync('sudo', ['apt-get', ...args], { stdio: 'inherit', env });

console.log(`setup:system: installing ${missing.join(' ')}`);
try {
  aptGet(['update', '-qq']);
  aptGet(['install', '-y', '-qq', ...missing]);
} catch {
  console.error(
    `setup:system: could not install ${missing.join(' ')}; install them as root and run the tests again.`,
  );
  process.exit(1);
}
