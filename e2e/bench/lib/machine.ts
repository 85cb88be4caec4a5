import { readFileSync } from 'node:fs';
import os from 'node:os';
import { findTool, versionOf } from './tools.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly os: string;
  readonly node: string;
  readonly chromium: string;
  readonly dovecot: string;
  readonly websockify: string;
  readonly curl: string;
  readonly python: string;
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release)?.[1];
    return `${pretty ?? os.type()}, kernel ${os.release()}`;
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

function debianVersion(pkg: string): string | undefined {
  return versionOf('dpkg-query', ['-W', '-f', '${Version}', pkg]);
}

function tool(name: Parameters<typeof findTool>[0], args: string[]): string {
  const path = findTool(name);
  return path ? (versionOf(path, args) ?? 'installed, version unknown') : 'not installed';
}

/** What the figures were measured on, for the report. */
export function describeMachine(): Machine {
  const websockify = findTool('websockify');
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GiB`,
    os: osName(),
    node: process.version,
    chromium: tool('chromium', ['--version']),
    dovecot: tool('dovecot', ['--version']),
    websockify: websockify
      ? `${debianVersion('websockify') ?? 'installed'} (Debian package)`
      : 'not installed',
    curl: tool('curl', ['--version']),
    python: tool('python3', ['--version']),
  };
}

export function machineMarkdown(machine: Machine): string {
  return [
    `- CPU: ${machine.cpu}, ${machine.cores} cores; RAM ${machine.memory}`,
    `- OS: ${machine.os}`,
    `- Node ${machine.node}; ${machine.chromium}; Dovecot ${machine.dovecot}`,
    `- websockify ${machine.websockify}; ${machine.curl}; ${machine.python}`,
  ].join('\n');
}
