import { defaultPort, defaultSubmissionPort, isSecurity, type Security } from '@webpop/wire';
import type { ProxyProtocolVersion } from '../relay/proxy-protocol.js';
import { oauthProvider } from './oauth-key.js';
import { fail, integer, nonEmptyString, object, only, show, type Json } from './readers.js';
import type { ServerConfig, SubmissionConfig } from './schema.js';

const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;
/** A DNS domain of two labels or more (RFC 1035 letters, digits and hyphens; 253 octets at most). */
const DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** One entry of `servers`. */
export function server(value: unknown, path: string): ServerConfig {
  const o = object(value, path);
  only(o, path, [
    'id',
    'label',
    'host',
    'port',
    'security',
    'ca',
    'fingerprint256',
    'proxyProtocol',
    'submission',
    'oauth',
    'mailDomain',
  ]);
  const id = nonEmptyString(o.id, `${path}.id`);
  if (!SERVER_ID.test(id)) fail(`${path}.id`, 'use letters, digits, ".", "_" and "-" (at most 64)');
  const security = o.security === undefined ? 'tls' : securityValue(o.security, `${path}.security`);
  const label = o.label === undefined ? id : nonEmptyString(o.label, `${path}.label`);
  const host = hostName(o.host, `${path}.host`);
  const port = o.port === undefined ? defaultPort(security) : integer(o.port, `${path}.port`, 1, 65535);
  const trusted = trust(o, path, security);
  const proxyProtocol =
    o.proxyProtocol === undefined
      ? undefined
      : proxyProtocolVersion(o.proxyProtocol, `${path}.proxyProtocol`);
  const submission = o.submission === undefined ? undefined : submissionServer(o.submission, host, path);
  const oauth = o.oauth === undefined ? undefined : oauthProvider(o.oauth, path);
  const mailDomain = o.mailDomain === undefined ? undefined : domainName(o.mailDomain, `${path}.mailDomain`);
  return {
    id,
    label,
    host,
    port,
    security,
    ...trusted,
    ...(proxyProtocol !== undefined ? { proxyProtocol } : {}),
    ...(submission !== undefined ? { submission } : {}),
    ...(oauth !== undefined ? { oauth } : {}),
    ...(mailDomain !== undefined ? { mailDomain } : {}),
  };
}

/** `servers[].mailDomain`: `example.org` (no `@`, no scheme), stored lower-case. */
function domainName(value: unknown, path: string): string {
  const domain = nonEmptyString(value, path).toLowerCase();
  if (!DOMAIN.test(domain)) {
    fail(path, 'a domain such as "example.org" (ASCII: an international name in its xn-- form)');
  }
  return domain;
}

/** `servers[].submission`: its host defaults to the POP3 server's, its security to `starttls` (587). */
function submissionServer(value: unknown, serverHost: string, serverPath: string): SubmissionConfig {
  const path = `${serverPath}.submission`;
  const o = object(value, path);
  only(o, path, ['host', 'port', 'security', 'ca', 'fingerprint256']);
  const security = o.security === undefined ? 'starttls' : securityValue(o.security, `${path}.security`);
  return {
    host: o.host === undefined ? serverHost : hostName(o.host, `${path}.host`),
    port: o.port === undefined ? defaultSubmissionPort(security) : integer(o.port, `${path}.port`, 1, 65535),
    security,
    ...trust(o, path, security),
  };
}

function hostName(value: unknown, path: string): string {
  const host = nonEmptyString(value, path).toLowerCase();
  if (/[\s/]/.test(host)) fail(path, 'a host name or address, without scheme or port');
  return host;
}

/** `ca` or `fingerprint256` (not both, and neither without TLS). */
function trust(
  o: Json,
  path: string,
  security: Security,
): { readonly ca?: string; readonly fingerprint256?: string } {
  const ca = o.ca === undefined ? undefined : nonEmptyString(o.ca, `${path}.ca`);
  const fingerprint = o.fingerprint256 === undefined ? undefined : fingerprint256(o.fingerprint256, path);
  if (ca !== undefined && fingerprint !== undefined) {
    fail(path, 'give either "ca" or "fingerprint256": a pinned certificate needs no CA');
  }
  if (security === 'none' && (ca !== undefined || fingerprint !== undefined)) {
    fail(`${path}.security`, '"none" has no TLS, so "ca" and "fingerprint256" would be ignored');
  }
  return {
    ...(ca !== undefined ? { ca } : {}),
    ...(fingerprint !== undefined ? { fingerprint256: fingerprint } : {}),
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
