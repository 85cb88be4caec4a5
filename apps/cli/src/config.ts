import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';

/** Option values as node:util parseArgs gives them (strings and booleans). */
export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** A mistake in the config file, or an account it does not have: said with the file's path. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Keys whose values are paths: relative ones are read from the config file's folder; `~/` is HOME. */
const pathKeys = new Set(['ca', 'out', 'state', 'mbox', 'maildir']);
/** Keys that would put a secret in a file that backups and dotfile repositories copy. */
const secretKeys = /^(password|pass|passwd|pw|token|access-token|secret)$/i;

/**
 * Where the config file is unless --config FILE says otherwise:
 * `$XDG_CONFIG_HOME/webpop/config.toml`, XDG_CONFIG_HOME defaulting to `$HOME/.config`.
 */
export function defaultConfigPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : undefined);
  return base === undefined ? undefined : join(resolve(base), 'webpop', 'config.toml');
}

/**
 * The options an account in the config file sets, as command-line values (the command line wins
 * over them). The file is TOML, one table per account, each key a long option's name:
 *
 *   [accounts.work]
 *   host = "pop.example.org"
 *   user = "alice"
 *   password-command = "pass show mail/work"
 *   out = "~/mail/work"
 *
 * `known(key)` says whether a key is an option of the command being run (`'this'`), of another
 * command (`'other'`: ignored, since one account serves every command), or of none (an error).
 */
export function accountValues(
  name: string,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  known: (key: string) => { kind: 'this'; type: 'string' | 'boolean' } | { kind: 'other' } | undefined,
): OptionValues {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      missing
        ? `--account ${name}: there is no config file ${path} (see 'webpop help config')`
        : `cannot read the config file ${path}: ${(error as Error).message}`,
    );
  }
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : '';
    throw new ConfigError(`the config file ${path} is not valid TOML${where}: ${firstLine(error)}`);
  }
  for (const key of Object.keys(document)) {
    if (key !== 'accounts')
      throw new ConfigError(`the config file ${path}: unknown table or key '${key}' (only [accounts.NAME])`);
  }
  const accounts = document.accounts;
  const account = isTable(accounts) ? accounts[name] : undefined;
  if (!isTable(account)) {
    const names = isTable(accounts) ? Object.keys(accounts) : [];
    throw new ConfigError(
      `the config file ${path} has no account '${name}'` +
        (names.length > 0 ? ` (it has: ${names.join(', ')})` : ' (it has no [accounts.NAME] table)'),
    );
  }
  const values: OptionValues = {};
  const where = `the config file ${path}, account '${name}'`;
  for (const [key, value] of Object.entries(account)) {
    if (secretKeys.test(key)) {
      throw new ConfigError(
        `${where}: '${key}' is not accepted: a password in a file is copied by every backup of it. ` +
          'Use password-command (e.g. password-command = "pass show mail/work") instead',
      );
    }
    const option = known(key);
    if (option === undefined) throw new ConfigError(`${where}: unknown key '${key}'`);
    if (option.kind === 'other') continue;
    if (option.type === 'boolean') {
      if (typeof value !== 'boolean') throw new ConfigError(`${where}: '${key}' must be true or false`);
      values[key] = value;
    } else if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      values[key] = pathKeys.has(key) ? resolvePath(String(value), dirname(path), env) : String(value);
    } else {
      throw new ConfigError(
        `${where}: '${key}' must be a string${key === 'port' || key === 'timeout' ? ' or a number' : ''}`,
      );
    }
  }
  return values;
}

function resolvePath(value: string, base: string, env: Readonly<Record<string, string | undefined>>): string {
  if ((value === '~' || value.startsWith('~/')) && env.HOME) return join(env.HOME, value.slice(1));
  return isAbsolute(value) ? value : resolve(base, value);
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}
