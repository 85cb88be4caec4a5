import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The peer programs a benchmark may need, with how to get each on Debian/Ubuntu. */
const toolHints = {
  dovecot: 'apt-get install -y dovecot-pop3d (or pnpm setup:system)',
  chromium: 'apt-get install -y chromium (or pnpm setup:system)',
  websockify: 'apt-get install -y websockify',
  curl: 'apt-get install -y curl',
  python3: 'apt-get install -y python3',
} as const;

export type Tool = keyof typeof toolHints;

const candidates: Record<Tool, string[]> = {
  dovecot: ['/usr/sbin/dovecot', 'dovecot'],
  chromium: ['/usr/bin/chromium', '/usr/bin/chromium-browser', 'chromium'],
  websockify: ['websockify'],
  curl: ['curl'],
  python3: ['python3'],
};

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  if (name.includes('/')) return executable(name) ? name : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    if (dir && executable(path)) return path;
  }
  return undefined;
}

/** The tool's path, or undefined when it is not installed. */
export function findTool(tool: Tool): string | undefined {
  for (const candidate of candidates[tool]) {
    const found = onPath(candidate);
    if (found) return found;
  }
  return undefined;
}

/** "websockify is not installed (apt-get install -y websockify)" — the reason a row is skipped. */
export function missing(tool: Tool): string {
  return `${tool} is not installed (${toolHints[tool]})`;
}

/** The first line a program prints for its version, or undefined. */
export function versionOf(command: string, args: string[]): string | undefined {
  try {
    const out = execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
    return out.trim().split('\n')[0] || undefined;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    return stderr?.trim().split('\n')[0] || undefined;
  }
}
