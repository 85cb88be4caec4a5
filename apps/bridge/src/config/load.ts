import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import tls from 'node:tls';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from '../http/headers.js';
import { mergeConfig, readEnvConfig } from './env.js';
import { oauthConnectSources } from './oauth-key.js';
import {
  BRANDING_LOGO_MAX_BYTES,
  ConfigError,
  validateConfig,
  type BridgeConfig,
  type ServerConfig,
  type SubmissionConfig,
} from './schema.js';

/** A configured submission server with its CA file read. */
export interface LoadedSubmission extends SubmissionConfig {
  readonly caPem?: string;
}

/** A configured server with its CA files read. */
export interface LoadedServer extends Omit<ServerConfig, 'submission'> {
  readonly caPem?: string;
  readonly submission?: LoadedSubmission;
}

/** The configuration the bridge runs with: validated, paths resolved, PEM files read. */
export interface LoadedConfig extends Omit<BridgeConfig, 'servers' | 'tls' | 'staticDir'> {
  readonly servers: readonly LoadedServer[];
  readonly tls: { readonly certPem: string; readonly keyPem: string } | null;
  readonly staticDir: string;
  /** The web app's Content-Security-Policy: connect-src admits the servers' OAuth token endpoints. */
  readonly contentSecurityPolicy: string;
  /** The branding logo's bytes, read at load (and at each reload). */
  readonly brandingLogo: { readonly bytes: Buffer; readonly contentType: string } | null;
}

const LOGO_TYPES: Readonly<Record<string, string>> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/**
 * The web app: apps/web/dist of this repository (this file is apps/bridge/{src,dist}/config/load.*),
 * else `web/` inside the published package, where prepack copies the build.
 */
export const defaultStaticDir = (() => {
  const repository = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
  const packaged = fileURLToPath(new URL('../../web/', import.meta.url));
  const inPackage = !existsSync(repository) && existsSync(join(packaged, 'index.html'));
  return resolve(inPackage ? packaged : repository);
})();

/**
 * Validates a configuration object and reads the files it names. Relative paths are taken from
 * `baseDir` (the configuration file's folder).
 */
export function loadConfig(input: unknown, baseDir: string = process.cwd()): LoadedConfig {
  const loaded = readFiles(validateConfig(input), baseDir);
  loadedConfigs.add(loaded);
  return loaded;
}

const loadedConfigs = new WeakSet<object>();

/** True for what loadConfig returned (so a look-alike object is still validated). */
export function isLoadedConfig(value: object): value is LoadedConfig {
  return loadedConfigs.has(value);
}

function readFiles(config: BridgeConfig, baseDir: string): LoadedConfig {
  const read = (path: string, key: string): string => {
    const file = resolve(baseDir, path);
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `${key}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  };
  const withCa = <T extends { readonly ca?: string }>(entry: T, key: string): T & { caPem?: string } => {
    if (entry.ca === undefined) return entry;
    const caPem = read(entry.ca, key);
    checkCertificates(caPem, key, entry.ca);
    return { ...entry, caPem };
  };
  const servers = config.servers.map((server, i): LoadedServer => {
    const loaded = withCa(server, `servers[${i}].ca`);
    if (server.submission === undefined) return loaded;
    return { ...loaded, submission: withCa(server.submission, `servers[${i}].submission.ca`) };
  });
  const tlsPem = config.tls && {
    certPem: read(config.tls.cert, 'tls.cert'),
    keyPem: read(config.tls.key, 'tls.key'),
  };
  if (tlsPem && config.tls) {
    checkCertificates(tlsPem.certPem, 'tls.cert', config.tls.cert);
    try {
      tls.createSecureContext({ cert: tlsPem.certPem, key: tlsPem.keyPem });
    } catch (error) {
      throw new ConfigError(
        `tls.key: ${config.tls.key} is no key for tls.cert (${(error as Error).message})`,
      );
    }
  }
  return {
    ...config,
    servers,
    tls: tlsPem,
    staticDir: config.staticDir === null ? defaultStaticDir : resolve(baseDir, config.staticDir),
    contentSecurityPolicy: contentSecurityPolicy(oauthConnectSources(config.servers.map((s) => s.oauth))),
    brandingLogo: config.branding.logo === null ? null : readLogo(resolve(baseDir, config.branding.logo)),
  };
}

function readLogo(file: string): LoadedConfig['brandingLogo'] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new ConfigError(
      `branding.logo: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (bytes.length > BRANDING_LOGO_MAX_BYTES)
    throw new ConfigError(`branding.logo: ${file} is over ${BRANDING_LOGO_MAX_BYTES / 1024} KiB`);
  const extension = (/\.([a-z]+)$/i.exec(file)?.[1] ?? '').toLowerCase();
  return { bytes, contentType: LOGO_TYPES[extension] ?? 'application/octet-stream' };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** Every PEM certificate in the file must parse (a truncated or mangled one fails at start, not later). */
function checkCertificates(pem: string, key: string, file: string): void {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ConfigError(`${key}: ${file} holds no PEM certificate`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new ConfigError(
        `${key}: ${file} holds a certificate that does not parse (${(error as Error).message})`,
      );
    }
  }
}

/** The configuration the bridge runs with, before files are read: validated, paths absolute. */
export interface EffectiveConfig {
  readonly config: BridgeConfig;
  /** Configuration key → the environment variable that set it. */
  readonly sources: ReadonlyMap<string, string>;
  readonly loaded: LoadedConfig;
}

/**
 * The file (if any) with the environment's `WEBPOP_…` variables over it, validated and loaded.
 * Precedence: environment, then file, then defaults. An error from a variable names it.
 */
export function loadEffectiveConfig(path: string | undefined, env: NodeJS.ProcessEnv): EffectiveConfig {
  const fromEnv = readEnvConfig(env);
  const file = path === undefined ? undefined : resolve(path);
  const json = file === undefined ? {} : readJsonFile(file);
  if (!isPlainObject(json)) fail(file, 'config: expected an object');
  const merged = mergeConfig(json, fromEnv.config);
  const baseDir = file === undefined ? process.cwd() : dirname(file);
  try {
    const config = withAbsolutePaths(validateConfig(merged), baseDir);
    return { config, sources: fromEnv.sources, loaded: loadConfig(merged, baseDir) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const key = /^([^:]+):/.exec(error.message)?.[1];
    const variable = key === undefined ? undefined : fromEnv.sources.get(key);
    if (variable !== undefined) throw new ConfigError(`${error.message} (set by ${variable})`);
    return fail(file, error.message);
  }
}

function fail(file: string | undefined, message: string): never {
  throw new ConfigError(file === undefined ? message : `${file}: ${message}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Relative paths in the configuration, resolved from `baseDir` (for printing and loading alike). */
function withAbsolutePaths(config: BridgeConfig, baseDir: string): BridgeConfig {
  return {
    ...config,
    servers: config.servers.map((server) => {
      const absolute = withAbsoluteCa(server, baseDir);
      return server.submission === undefined
        ? absolute
        : { ...absolute, submission: withAbsoluteCa(server.submission, baseDir) };
    }),
    tls: config.tls && { cert: resolve(baseDir, config.tls.cert), key: resolve(baseDir, config.tls.key) },
    staticDir: config.staticDir === null ? defaultStaticDir : resolve(baseDir, config.staticDir),
    branding: {
      ...config.branding,
      logo: config.branding.logo === null ? null : resolve(baseDir, config.branding.logo),
    },
  };
}

function withAbsoluteCa<T extends { readonly ca?: string }>(entry: T, baseDir: string): T {
  return entry.ca === undefined ? entry : { ...entry, ca: resolve(baseDir, entry.ca) };
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the configuration file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads and loads a JSON configuration file. */
export function loadConfigFile(path: string): LoadedConfig {
  return loadEffectiveConfig(path, {}).loaded;
}
