import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, defaultConfig } from './schema.js';

type Json = Record<string, unknown>;

/** How a variable's text becomes a configuration value. */
type Kind = 'string' | 'integer' | 'boolean' | 'list' | 'integers' | 'path';

/** Keys whose default (null) does not tell their kind, and paths (resolved from the working directory). */
const KIND_HINTS: Readonly<Record<string, Kind>> = {
  origins: 'list',
  hosts: 'list',
  'tls.cert': 'path',
  'tls.key': 'path',
  staticDir: 'path',
  'branding.title': 'string',
  'branding.productName': 'string',
  'branding.logo': 'path',
  'branding.accentColor': 'string',
  'branding.signInText': 'string',
};

/**
 * Every key but `servers`, with the kind of its value, read off the defaults (so a key added to the
 * schema gets its variable without a second list here).
 */
const KEYS: Readonly<Record<string, Kind>> = (() => {
  const keys: Record<string, Kind> = {};
  const walk = (value: unknown, path: string): void => {
    if (path === 'servers') return;
    const hint = KIND_HINTS[path];
    if (hint) keys[path] = hint;
    else if (typeof value === 'number') keys[path] = 'integer';
    else if (typeof value === 'boolean') keys[path] = 'boolean';
    else if (Array.isArray(value)) keys[path] = typeof value[0] === 'number' ? 'integers' : 'list';
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
    } else if (typeof value === 'string') keys[path] = 'string';
  };
  walk(defaultConfig, '');
  for (const [path, kind] of Object.entries(KIND_HINTS)) {
    if ((path.split('.')[0] as string) in defaultConfig) keys[path] = kind;
  }
  return keys;
})();

/** The keys of one `servers[]` entry (`submission.host`: `WEBPOP_SERVERS_<n>_SUBMISSION_HOST`). */
const SERVER_KEYS: Readonly<Record<string, Kind>> = {
  id: 'string',
  label: 'string',
  host: 'string',
  port: 'integer',
  security: 'string',
  ca: 'path',
  fingerprint256: 'string',
  proxyProtocol: 'string',
  'submission.host': 'string',
  'submission.port': 'integer',
  'submission.security': 'string',
  'submission.ca': 'path',
  'submission.fingerprint256': 'string',
};

export const ENV_PREFIX = 'WEBPOP_';
/** Read by main, not a configuration key. */
const NOT_KEYS = new Set(['WEBPOP_CONFIG']);
/** Variables under these prefixes must name a key (a typo is an error, not silently ignored). */
const RESERVED_PREFIXES = Object.keys(defaultConfig)
  .filter((key) => typeof defaultConfig[key as keyof typeof defaultConfig] === 'object' || key === 'tls')
  .map((key) => `${envName(key).slice(ENV_PREFIX.length)}_`);

/** `limits.connectionsPerIp` → `WEBPOP_LIMITS_CONNECTIONS_PER_IP`. */
export function envName(key: string): string {
  return (
    ENV_PREFIX +
    key
      .split('.')
      .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
      .join('_')
  );
}

const BY_NAME = new Map(Object.entries(KEYS).map(([key, kind]) => [envName(key), { key, kind }]));
const SERVER_BY_NAME = new Map(
  Object.entries(SERVER_KEYS).map(([key, kind]) => [envName(key).slice(ENV_PREFIX.length), { key, kind }]),
);
const SERVER_VARIABLE = /^WEBPOP_SERVERS_(\d{1,3})_([A-Z0-9_]+)$/;

/** What the environment sets: a partial configuration, and which variable set which key. */
export interface EnvConfig {
  readonly config: Json;
  /** Configuration key → the variable it came from (`WEBPOP_LISTEN_PORT` or `…_FILE`). */
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * The configuration keys set in the environment: `WEBPOP_<KEY>` with the path's parts in upper snake
 * case (`WEBPOP_LIMITS_IDLE_SECONDS`), lists comma-separated, servers as `WEBPOP_SERVERS` (a JSON array)
 * or `WEBPOP_SERVERS_<n>_<KEY>`. Each variable also has a `_FILE` form whose file holds the value
 * (for secrets kept in files, as container platforms mount them). Relative paths are taken from `cwd`.
 */
export function readEnvConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): EnvConfig {
  const config: Json = {};
  const sources = new Map<string, string>();
  const servers: Json[] = [];
  for (const [rawName, rawValue] of Object.entries(env)) {
    if (!rawName.startsWith(ENV_PREFIX) || rawValue === undefined || NOT_KEYS.has(rawName)) continue;
    const fromFile = rawName.endsWith('_FILE');
    const name = fromFile ? rawName.slice(0, -'_FILE'.length) : rawName;
    const text = fromFile ? readValueFile(rawName, rawValue) : rawValue;
    if (name === 'WEBPOP_SERVERS') {
      config.servers = parseJson(rawName, text);
      sources.set('servers', rawName);
      continue;
    }
    const server = SERVER_VARIABLE.exec(name);
    if (server) {
      const field = SERVER_BY_NAME.get(server[2] as string);
      if (!field)
        throw new ConfigError(
          `${rawName}: no such server key (known: ${Object.keys(SERVER_KEYS).join(', ')})`,
        );
      const index = Number(server[1]);
      const entry = (servers[index] ??= {});
      setPath(entry, field.key, convert(field.kind, text, cwd));
      sources.set(`servers[${index}].${field.key}`, rawName);
      continue;
    }
    const known = BY_NAME.get(name);
    if (!known) {
      if (RESERVED_PREFIXES.some((prefix) => name.startsWith(ENV_PREFIX + prefix))) {
        throw new ConfigError(`${rawName}: no such configuration key`);
      }
      continue; // WEBPOP_PASSWORD and friends belong to other programs
    }
    setPath(config, known.key, convert(known.kind, text, cwd));
    sources.set(known.key, rawName);
  }
  if (servers.length > 0) {
    if (config.servers !== undefined) {
      throw new ConfigError('WEBPOP_SERVERS and WEBPOP_SERVERS_<n>_… are both set; use one');
    }
    const gap = Array.from(servers, (s, i) => (s === undefined ? i : -1)).find((i) => i >= 0);
    if (gap !== undefined)
      throw new ConfigError(`WEBPOP_SERVERS_${gap}_…: servers are numbered from 0 without gaps`);
    config.servers = servers;
  }
  return { config, sources };
}

/**
 * The environment over the file: objects are merged key by key, any other value (lists, `servers`) is
 * replaced as a whole.
 */
export function mergeConfig(file: Json, overrides: Json): Json {
  const merged: Json = { ...file };
  for (const [key, value] of Object.entries(overrides)) {
    const below = merged[key];
    merged[key] = isObject(below) && isObject(value) ? mergeConfig(below, value) : value;
  }
  return merged;
}

function convert(kind: Kind, text: string, cwd: string): unknown {
  const trimmed = text.trim();
  switch (kind) {
    case 'integer':
      return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed; // validation names the key
    case 'boolean':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
    case 'list':
      return splitList(trimmed);
    case 'integers':
      return splitList(trimmed).map((item) => (/^\d+$/.test(item) ? Number(item) : item));
    case 'path':
      return trimmed === '' ? trimmed : resolve(cwd, trimmed);
    case 'string':
      return trimmed;
  }
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function readValueFile(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigError(
      `${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${name}: not valid JSON (${(error as Error).message})`);
  }
}

function setPath(target: Json, key: string, value: unknown): void {
  const parts = key.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Json;
  at[parts[parts.length - 1] as string] = value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every variable name the bridge reads (for the README and --help). */
export function envNames(): string[] {
  return [
    ...BY_NAME.keys(),
    'WEBPOP_SERVERS',
    ...Object.keys(SERVER_KEYS).map((k) => `WEBPOP_SERVERS_<n>_${envName(k).slice(ENV_PREFIX.length)}`),
  ];
}
