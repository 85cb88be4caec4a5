import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, validateConfig, type BridgeConfig, type ServerConfig } from './schema.js';

/** A configured server with its CA file read. */
export interface LoadedServer extends ServerConfig {
  readonly caPem?: string;
}

/** The configuration the bridge runs with: validated, paths resolved, PEM files read. */
export interface LoadedConfig extends Omit<BridgeConfig, 'servers' | 'tls' | 'staticDir'> {
  readonly servers: readonly LoadedServer[];
  readonly tls: { readonly certPem: string; readonly keyPem: string } | null;
  readonly staticDir: string;
}

/** apps/web/dist of this repository (this file is apps/bridge/{src,dist}/config/load.*). */
export const defaultStaticDir = resolve(fileURLToPath(new URL('../../../web/dist/', import.meta.url)));

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
  const servers = config.servers.map((server, i): LoadedServer => {
    if (server.ca === undefined) return server;
    const caPem = read(server.ca, `servers[${i}].ca`);
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigError(`servers[${i}].ca: ${server.ca} holds no PEM certificate`);
    }
    return { ...server, caPem };
  });
  return {
    ...config,
    servers,
    tls: config.tls && {
      certPem: read(config.tls.cert, 'tls.cert'),
      keyPem: read(config.tls.key, 'tls.key'),
    },
    staticDir: config.staticDir === null ? defaultStaticDir : resolve(baseDir, config.staticDir),
  };
}

/** Reads and loads a JSON configuration file. */
export function loadConfigFile(path: string): LoadedConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the configuration file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return loadConfig(json, dirname(file));
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${file}: ${error.message}`);
    throw error;
  }
}
