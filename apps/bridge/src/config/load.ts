import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
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
    checkCertificates(caPem, `servers[${i}].ca`, server.ca);
    return { ...server, caPem };
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
  };
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
