import net from 'node:net';
import { defaultPort, isSecurity, type Security } from '@webpop/wire';
import { parseCidr } from '../policy/address.js';
import type { ProxyProtocolVersion } from '../relay/proxy-protocol.js';
import { canonicalHost } from '../policy/host.js';

export type { Security };

/** A mail server the browser may ask for by id. */
export interface ServerConfig {
  readonly id: string;
  /** Shown in the web app's server picker. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly security: Security;
  /** A PEM file of extra CA certificates trusted for this server, besides Node's bundled roots. */
  readonly ca?: string;
  /** The SHA-256 fingerprint of the server's certificate (`AB:CD:…`): pinned, so a self-signed one is fine. */
  readonly fingerprint256?: string;
  /**
   * Open each connection with a PROXY protocol header (HAProxy's, version 1 text or 2 binary) naming
   * the browser's address, so the mail server logs and rate-limits the real client.
   */
  readonly proxyProtocol?: ProxyProtocolVersion;
}

export interface LimitsConfig {
  /** Open relays in total. */
  readonly connections: number;
  /** Open relays per client address (IPv6: per /64). */
  readonly connectionsPerIp: number;
  /** New relays per client address per minute. */
  readonly connectionsPerIpPerMinute: number;
  /** No byte either way for this long ends the relay (`timeout`). */
  readonly idleSeconds: number;
  /** No relay lasts longer than this (`timeout`). */
  readonly sessionSeconds: number;
  /** From the WebSocket's opening to `connected` (DNS, TCP and TLS), and for a STLS handshake. */
  readonly connectSeconds: number;
  /** Bytes the bridge buffers towards a slow browser before it stops reading from the mail server. */
  readonly bufferBytes: number;
  /** Largest WebSocket message accepted from the browser (ws `maxPayload`). */
  readonly maxFrameBytes: number;
  /** From a TCP connection's opening to its complete HTTP request (a WebSocket upgrade or a page). */
  readonly handshakeSeconds: number;
  /** TCP connections per peer address that have not yet sent a complete HTTP request. */
  readonly handshakesPerIp: number;
}

/** How the web app presents itself; null: its own default. */
export interface BrandingConfig {
  /** The browser tab's title. */
  readonly title: string | null;
  /** The name in the app's header. */
  readonly productName: string | null;
  /** An SVG, PNG, JPEG or WebP file shown beside the name (at most BRANDING_LOGO_MAX_BYTES). */
  readonly logo: string | null;
  /** `#rrggbb`: buttons, links and focus rings. */
  readonly accentColor: string | null;
  /** One line of text on the sign-in page (who runs it, whom to ask). */
  readonly signInText: string | null;
}

/** Limits of the branding values (the logo is held in memory and sent with every sign-in page). */
export const BRANDING_LOGO_MAX_BYTES = 512 * 1024;
export const BRANDING_TEXT_MAX_LENGTH = 200;

/** The configuration file, validated, with every default filled in. Paths are as written. */
export interface BridgeConfig {
  readonly listen: { readonly host: string; readonly port: number };
  /** Allowed `Origin` values; null: each allowed host at the bridge's own scheme and port. */
  readonly origins: readonly string[] | null;
  /** Host names the bridge answers for (the `Host` header); null: see defaultHosts(). */
  readonly hosts: readonly string[] | null;
  /** Client addresses or CIDR ranges that may read `/metrics` (the public listener refuses the rest). */
  readonly metrics: { readonly allow: readonly string[] };
  readonly servers: readonly ServerConfig[];
  readonly allowAnyTarget: boolean;
  /** With `allowAnyTarget`: the ports a browser may name. */
  readonly anyTargetPorts: readonly number[];
  readonly limits: LimitsConfig;
  /** Certificate and key (PEM files) to serve https/wss directly; null: plain http/ws (behind a proxy). */
  readonly tls: { readonly cert: string; readonly key: string } | null;
  /** The built web app; null: apps/web/dist of this repository. */
  readonly staticDir: string | null;
  /** Addresses or CIDR ranges whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed. */
  readonly trustedProxies: readonly string[];
  /** After SIGTERM, how long open relays may go on before they are closed with 1001. */
  readonly shutdownSeconds: number;
  /**
   * After SIGTERM, how long new sessions are still accepted while /readyz and /healthz already answer
   * 503, so a proxy's health checks take the bridge out before it refuses anyone (a rolling restart
   * behind a proxy that does not retry a 503 elsewhere, such as Caddy). 0: refuse at once.
   */
  readonly drainDelaySeconds: number;
  /** What /readyz checks besides draining. */
  readonly readiness: { readonly requireReachableServer: boolean };
  /**
   * The path prefix the bridge serves under (`/webmail/`) when a proxy passes it on unchanged; `/` when
   * it serves at the root or the proxy strips the prefix. Health endpoints and /metrics answer at the
   * root too.
   */
  readonly basePath: string;
  readonly branding: BrandingConfig;
}

export const defaultLimits: LimitsConfig = {
  connections: 1000,
  connectionsPerIp: 20,
  connectionsPerIpPerMinute: 60,
  idleSeconds: 300,
  sessionSeconds: 3600,
  connectSeconds: 15,
  bufferBytes: 1024 * 1024,
  maxFrameBytes: 64 * 1024,
  handshakeSeconds: 10,
  handshakesPerIp: 20,
};

export const defaultConfig: BridgeConfig = {
  listen: { host: '127.0.0.1', port: 8080 },
  origins: null,
  hosts: null,
  metrics: { allow: ['127.0.0.0/8', '::1'] },
  servers: [],
  allowAnyTarget: false,
  anyTargetPorts: [110, 995],
  limits: defaultLimits,
  tls: null,
  staticDir: null,
  trustedProxies: [],
  shutdownSeconds: 30,
  drainDelaySeconds: 0,
  readiness: { requireReachableServer: false },
  basePath: '/',
  branding: { title: null, productName: null, logo: null, accentColor: null, signInText: null },
};

/** A configuration value that is wrong; the message names the key, e.g. `servers[0].port: …`. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Json = Record<string, unknown>;

/** Validates a parsed configuration file (every key optional; unknown keys are errors). */
export function validateConfig(input: unknown): BridgeConfig {
  const root = object(input, 'config');
  only(root, '', [
    'listen',
    'origins',
    'hosts',
    'metrics',
    'servers',
    'allowAnyTarget',
    'anyTargetPorts',
    'limits',
    'tls',
    'staticDir',
    'trustedProxies',
    'shutdownSeconds',
    'drainDelaySeconds',
    'readiness',
    'basePath',
    'branding',
  ]);
  const servers = optionalArray(root.servers, 'servers').map((value, i) => server(value, `servers[${i}]`));
  const ids = new Set<string>();
  servers.forEach((s, i) => {
    if (ids.has(s.id)) fail(`servers[${i}].id`, `"${s.id}" is used twice`);
    ids.add(s.id);
  });
  return {
    listen: listen(root.listen),
    origins: root.origins === undefined ? null : origins(root.origins),
    hosts: root.hosts === undefined ? null : hosts(root.hosts),
    metrics: metricsAccess(root.metrics),
    servers,
    allowAnyTarget: optionalBoolean(root.allowAnyTarget, 'allowAnyTarget', defaultConfig.allowAnyTarget),
    anyTargetPorts:
      root.anyTargetPorts === undefined
        ? defaultConfig.anyTargetPorts
        : nonEmpty(optionalArray(root.anyTargetPorts, 'anyTargetPorts'), 'anyTargetPorts').map((p, i) =>
            integer(p, `anyTargetPorts[${i}]`, 1, 65535),
          ),
    limits: limits(root.limits),
    tls: root.tls === undefined || root.tls === null ? null : tlsFiles(root.tls),
    staticDir: root.staticDir === undefined ? null : nonEmptyString(root.staticDir, 'staticDir'),
    trustedProxies: optionalArray(root.trustedProxies, 'trustedProxies').map((value, i) =>
      proxy(value, `trustedProxies[${i}]`),
    ),
    shutdownSeconds:
      root.shutdownSeconds === undefined
        ? defaultConfig.shutdownSeconds
        : integer(root.shutdownSeconds, 'shutdownSeconds', 0, 86_400),
    drainDelaySeconds:
      root.drainDelaySeconds === undefined
        ? defaultConfig.drainDelaySeconds
        : integer(root.drainDelaySeconds, 'drainDelaySeconds', 0, 300),
    readiness: readiness(root.readiness),
    basePath: root.basePath === undefined ? defaultConfig.basePath : basePath(root.basePath),
    branding: branding(root.branding),
  };
}

/** `/webmail/`: starts and ends with `/`, plain path characters only (it is compared, not decoded). */
function basePath(value: unknown): string {
  const text = nonEmptyString(value, 'basePath');
  if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(text) || /\/\.\.?\//.test(text)) {
    fail('basePath', `expected a path like "/webmail/" (starting and ending with "/"), got ${show(value)}`);
  }
  return text;
}

function branding(value: unknown): BrandingConfig {
  if (value === undefined) return defaultConfig.branding;
  const o = object(value, 'branding');
  only(o, 'branding', Object.keys(defaultConfig.branding));
  const text = (key: 'title' | 'productName' | 'signInText'): string | null => {
    if (o[key] === undefined || o[key] === null) return null;
    const line = nonEmptyString(o[key], `branding.${key}`).trim();
    if (line.length > BRANDING_TEXT_MAX_LENGTH || /\p{Cc}/u.test(line))
      fail(`branding.${key}`, `one line of at most ${BRANDING_TEXT_MAX_LENGTH} characters`);
    return line;
  };
  const accent =
    o.accentColor === undefined || o.accentColor === null
      ? null
      : nonEmptyString(o.accentColor, 'branding.accentColor');
  if (accent !== null && !/^#[0-9a-fA-F]{6}$/.test(accent))
    fail('branding.accentColor', `expected a colour like "#2457c5", got ${show(accent)}`);
  const logo = o.logo === undefined || o.logo === null ? null : nonEmptyString(o.logo, 'branding.logo');
  if (logo !== null && !/\.(svg|png|jpe?g|webp)$/i.test(logo))
    fail('branding.logo', 'an .svg, .png, .jpg or .webp file');
  return {
    title: text('title'),
    productName: text('productName'),
    logo,
    accentColor: accent === null ? null : accent.toLowerCase(),
    signInText: text('signInText'),
  };
}

function listen(value: unknown): BridgeConfig['listen'] {
  if (value === undefined) return defaultConfig.listen;
  const o = object(value, 'listen');
  only(o, 'listen', ['host', 'port']);
  const host = o.host === undefined ? defaultConfig.listen.host : nonEmptyString(o.host, 'listen.host');
  return {
    host,
    port: o.port === undefined ? defaultConfig.listen.port : integer(o.port, 'listen.port', 0, 65535),
  };
}

function readiness(value: unknown): BridgeConfig['readiness'] {
  if (value === undefined) return defaultConfig.readiness;
  const o = object(value, 'readiness');
  only(o, 'readiness', ['requireReachableServer']);
  return {
    requireReachableServer: optionalBoolean(
      o.requireReachableServer,
      'readiness.requireReachableServer',
      defaultConfig.readiness.requireReachableServer,
    ),
  };
}

function origins(value: unknown): string[] {
  const list = nonEmpty(optionalArray(value, 'origins'), 'origins');
  return list.map((entry, i) => {
    const path = `origins[${i}]`;
    const text = nonEmptyString(entry, path);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail(path, `"${text}" is not an origin like "https://mail.example.org"`);
    }
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare) {
      fail(path, `"${text}" is not an origin like "https://mail.example.org" (scheme, host, optional port)`);
    }
    return url.origin;
  });
}

function hosts(value: unknown): string[] {
  return nonEmpty(optionalArray(value, 'hosts'), 'hosts').map((entry, i) => {
    const text = nonEmptyString(entry, `hosts[${i}]`);
    const canonical = canonicalHost(text);
    if (!canonical) {
      fail(
        `hosts[${i}]`,
        `"${text}" is not a host name or address like "mail.example.org" (no scheme or port)`,
      );
    }
    return canonical;
  });
}

function metricsAccess(value: unknown): BridgeConfig['metrics'] {
  if (value === undefined) return defaultConfig.metrics;
  const o = object(value, 'metrics');
  only(o, 'metrics', ['allow']);
  if (o.allow === undefined) return defaultConfig.metrics;
  return { allow: optionalArray(o.allow, 'metrics.allow').map((v, i) => proxy(v, `metrics.allow[${i}]`)) };
}

const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

function server(value: unknown, path: string): ServerConfig {
  const o = object(value, path);
  only(o, path, ['id', 'label', 'host', 'port', 'security', 'ca', 'fingerprint256', 'proxyProtocol']);
  const id = nonEmptyString(o.id, `${path}.id`);
  if (!SERVER_ID.test(id)) fail(`${path}.id`, 'use letters, digits, ".", "_" and "-" (at most 64)');
  const security = o.security === undefined ? 'tls' : securityValue(o.security, `${path}.security`);
  const result: ServerConfig = {
    id,
    label: o.label === undefined ? id : nonEmptyString(o.label, `${path}.label`),
    host: nonEmptyString(o.host, `${path}.host`).toLowerCase(),
    port: o.port === undefined ? defaultPort(security) : integer(o.port, `${path}.port`, 1, 65535),
    security,
  };
  if (/[\s/]/.test(result.host)) fail(`${path}.host`, 'a host name or address, without scheme or port');
  const ca = o.ca === undefined ? undefined : nonEmptyString(o.ca, `${path}.ca`);
  const fingerprint = o.fingerprint256 === undefined ? undefined : fingerprint256(o.fingerprint256, path);
  if (ca !== undefined && fingerprint !== undefined) {
    fail(path, 'give either "ca" or "fingerprint256": a pinned certificate needs no CA');
  }
  if (security === 'none' && (ca !== undefined || fingerprint !== undefined)) {
    fail(`${path}.security`, '"none" has no TLS, so "ca" and "fingerprint256" would be ignored');
  }
  const proxyProtocol =
    o.proxyProtocol === undefined
      ? undefined
      : proxyProtocolVersion(o.proxyProtocol, `${path}.proxyProtocol`);
  return {
    ...result,
    ...(ca !== undefined ? { ca } : {}),
    ...(fingerprint !== undefined ? { fingerprint256: fingerprint } : {}),
    ...(proxyProtocol !== undefined ? { proxyProtocol } : {}),
  };
}

function proxyProtocolVersion(value: unknown, path: string): ProxyProtocolVersion {
  if (value === 'v1' || value === 'v2') return value;
  return fail(path, `expected "v1" or "v2", got ${show(value)}`);
}

function fingerprint256(value: unknown, path: string): string {
  const raw = nonEmptyString(value, `${path}.fingerprint256`).toUpperCase().replace(/[\s:]/g, '');
  const formatted = raw.replace(/(..)(?!$)/g, '$1:');
  if (!FINGERPRINT.test(formatted)) {
    fail(
      `${path}.fingerprint256`,
      'expected 32 hex byte pairs like "AB:CD:…" (openssl x509 -fingerprint -sha256)',
    );
  }
  return formatted;
}

function securityValue(value: unknown, path: string): Security {
  if (isSecurity(value)) return value;
  return fail(path, `expected "tls", "starttls" or "none", got ${show(value)}`);
}

function limits(value: unknown): LimitsConfig {
  if (value === undefined) return defaultLimits;
  const o = object(value, 'limits');
  only(o, 'limits', Object.keys(defaultLimits));
  const pick = (key: keyof LimitsConfig, min: number, max: number): number =>
    o[key] === undefined ? defaultLimits[key] : integer(o[key], `limits.${key}`, min, max);
  return {
    connections: pick('connections', 1, 1_000_000),
    connectionsPerIp: pick('connectionsPerIp', 1, 1_000_000),
    connectionsPerIpPerMinute: pick('connectionsPerIpPerMinute', 1, 1_000_000),
    idleSeconds: pick('idleSeconds', 1, 86_400),
    sessionSeconds: pick('sessionSeconds', 1, 7 * 86_400),
    connectSeconds: pick('connectSeconds', 1, 600),
    bufferBytes: pick('bufferBytes', 16 * 1024, 1024 * 1024 * 1024),
    maxFrameBytes: pick('maxFrameBytes', 1024, 64 * 1024 * 1024),
    handshakeSeconds: pick('handshakeSeconds', 1, 600),
    handshakesPerIp: pick('handshakesPerIp', 1, 1_000_000),
  };
}

function tlsFiles(value: unknown): { cert: string; key: string } {
  const o = object(value, 'tls');
  only(o, 'tls', ['cert', 'key']);
  return { cert: nonEmptyString(o.cert, 'tls.cert'), key: nonEmptyString(o.key, 'tls.key') };
}

function proxy(value: unknown, path: string): string {
  const text = nonEmptyString(value, path);
  if (!net.isIP(text) && !parseCidr(text)) fail(path, `"${text}" is not an IP address or CIDR range`);
  return text;
}

// ---- small typed readers, each failing with the key's path -------------------------------------

function fail(path: string, message: string): never {
  throw new ConfigError(`${path}: ${message}`);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `expected an object, got ${show(value)}`);
  }
  return value as Json;
}

function only(o: Json, path: string, known: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) fail(path ? `${path}.${key}` : key, `unknown key (known: ${known.join(', ')})`);
  }
}

function optionalArray(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, `expected an array, got ${show(value)}`);
  return value;
}

function nonEmpty<T>(list: T[], path: string): T[] {
  if (list.length === 0) fail(path, 'must not be empty (leave the key out for the default)');
  return list;
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    fail(path, `expected a non-empty string, got ${show(value)}`);
  return value;
}

function optionalBoolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(path, `expected true or false, got ${show(value)}`);
  return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `expected an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}
