import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalError } from './connect.js';

/** One `machine` (or the `default`) entry of a .netrc file. */
export interface NetrcEntry {
  /** undefined for the `default` entry. */
  readonly machine: string | undefined;
  readonly login?: string;
  readonly password?: string;
}

/**
 * Parses .netrc as ftp(1) and curl read it: whitespace-separated tokens, `machine NAME` or
 * `default` starting an entry, `login`, `password` and `account` with a value each, `macdef NAME`
 * skipping a macro up to the next blank line. Double-quoted values may hold spaces (curl's extension).
 */
export function parseNetrc(text: string): NetrcEntry[] {
  const entries: Array<{ machine: string | undefined; login?: string; password?: string }> = [];
  const tokens = tokenize(text);
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const current = entries[entries.length - 1];
    if (token.value === 'machine') entries.push({ machine: tokens[++index]?.value ?? '' });
    else if (token.value === 'default') entries.push({ machine: undefined });
    else if (token.value === 'login' && current) current.login = tokens[++index]?.value;
    else if (token.value === 'password' && current) current.password = tokens[++index]?.value;
    else if (token.value === 'account') index++;
    else if (token.value === 'macdef') {
      // The macro runs to the first empty line after the macdef line.
      const end = text.indexOf('\n\n', token.end);
      while (index + 1 < tokens.length && (end === -1 || tokens[index + 1]!.start < end)) index++;
    }
  }
  return entries;
}

function tokenize(text: string): Array<{ value: string; start: number; end: number }> {
  const tokens: Array<{ value: string; start: number; end: number }> = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const value = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!;
    tokens.push({ value, start: match.index, end: pattern.lastIndex });
  }
  return tokens;
}

/** The password for `user` at `host`: its machine entry (with that login, or none), else `default`. */
export function netrcPassword(
  entries: readonly NetrcEntry[],
  host: string,
  user: string,
): string | undefined {
  const fits = (entry: NetrcEntry) => entry.login === undefined || entry.login === user;
  const machine = entries.find((entry) => entry.machine?.toLowerCase() === host.toLowerCase() && fits(entry));
  return (machine ?? entries.find((entry) => entry.machine === undefined && fits(entry)))?.password;
}

/**
 * The password .netrc holds for `user` at `host` ($NETRC, else ~/.netrc), if any. A file that other
 * users can read and that holds a password is refused, as ftp(1) does: fix its mode rather than
 * have every local user read the password.
 */
export async function readNetrcPassword(
  env: Readonly<Record<string, string | undefined>>,
  host: string,
  user: string,
): Promise<string | undefined> {
  const path = env.NETRC || (env.HOME ? join(env.HOME, '.netrc') : undefined);
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LocalError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const password = netrcPassword(parseNetrc(text), host, user);
  if (password !== undefined && process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) {
    throw new LocalError(
      `${path} holds a password but other users may read it: make it private with chmod 600 ${path}`,
    );
  }
  return password;
}
