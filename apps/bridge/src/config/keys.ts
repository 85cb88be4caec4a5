/** The validators of the configuration's top-level keys (`servers` entries: server-key.ts). */
import net from 'node:net';
import { parseCidr } from '../policy/address.js';
import { canonicalHost } from '../policy/host.js';
import { BRANDING_TEXT_MAX_LENGTH, defaultConfig, defaultLimits } from './defaults.js';
import {
  fail,
  integer,
  nonEmpty,
  nonEmptyString,
  object,
  only,
  optionalArray,
  optionalBoolean,
  show,
} from './readers.js';
import type { BridgeConfig, BrandingConfig, LimitsConfig, SessionConfig } from './schema.js';

/** `/webmail/`: starts and ends with `/`, plain path characters only (it is compared, not decoded). */
export function basePath(value: unknown): string {
  const text = nonEmptyString(value, 'basePath');
  if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(text) || /\/\.\.?\//.test(text)) {
    fail('basePath', `expected a path like "/webmail/" (starting and ending with "/"), got ${show(value)}`);
  }
  return text;
}

export function branding(value: unknown): BrandingConfig {
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

export function session(value: unknown): SessionConfig {
  if (value === undefined) return defaultConfig.session;
  const o = object(value, 'session');
  only(o, 'session', Object.keys(defaultConfig.session));
  return {
    idleMinutes:
      o.idleMinutes === undefined
        ? defaultConfig.session.idleMinutes
        : integer(o.idleMinutes, 'session.idleMinutes', 0, 7 * 24 * 60),
    sharedComputerDefault: optionalBoolean(
      o.sharedComputerDefault,
      'session.sharedComputerDefault',
      defaultConfig.session.sharedComputerDefault,
    ),
    rememberPasswords: optionalBoolean(
      o.rememberPasswords,
      'session.rememberPasswords',
      defaultConfig.session.rememberPasswords,
    ),
  };
}

export function listen(value: unknown): BridgeConfig['listen'] {
  if (value === undefined) return defaultConfig.listen;
  const o = object(value, 'listen');
  only(o, 'listen', ['host', 'port']);
  const host = o.host === undefined ? defaultConfig.listen.host : nonEmptyString(o.host, 'listen.host');
  return {
    host,
    port: o.port === undefined ? defaultConfig.listen.port : integer(o.port, 'listen.port', 0, 65535),
  };
}

export function readiness(value: unknown): BridgeConfig['readiness'] {
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

export function origins(value: unknown): string[] {
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

export function hosts(value: unknown): string[] {
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

export function metricsAccess(value: unknown): BridgeConfig['metrics'] {
  if (value === undefined) return defaultConfig.metrics;
  const o = object(value, 'metrics');
  only(o, 'metrics', ['allow']);
  if (o.allow === undefined) return defaultConfig.metrics;
  return { allow: optionalArray(o.allow, 'metrics.allow').map((v, i) => proxy(v, `metrics.allow[${i}]`)) };
}

export function limits(value: unknown): LimitsConfig {
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

export function tlsFiles(value: unknown): { cert: string; key: string } {
  const o = object(value, 'tls');
  only(o, 'tls', ['cert', 'key']);
  return { cert: nonEmptyString(o.cert, 'tls.cert'), key: nonEmptyString(o.key, 'tls.key') };
}

export function proxy(value: unknown, path: string): string {
  const text = nonEmptyString(value, path);
  if (!net.isIP(text) && !parseCidr(text)) fail(path, `"${text}" is not an IP address or CIDR range`);
  return text;
}

/** `anyTargetPorts` and `anyTargetSubmissionPorts`: a non-empty list of ports. */
export function ports(value: unknown, key: 'anyTargetPorts' | 'anyTargetSubmissionPorts'): number[] {
  if (value === undefined) return [...defaultConfig[key]];
  return nonEmpty(optionalArray(value, key), key).map((p, i) => integer(p, `${key}[${i}]`, 1, 65535));
}
