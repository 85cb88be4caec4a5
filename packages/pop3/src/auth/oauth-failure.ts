import { base64Decode } from '../bytes.js';
import type { OAuthFailure } from '../errors.js';

/**
 * Reads the JSON of an OAuth SASL error challenge (`+ base64(JSON)`, RFC 7628 section 3.2.2; Gmail's
 * XOAUTH2 sends the same shape). Anything else (not base64, not JSON, no status) is `unknown`: the
 * refusal still stands, only its reason is unsaid.
 */
export function parseOAuthFailure(challenge: string): OAuthFailure {
  const unknown: OAuthFailure = { status: 'unknown', scope: undefined, openidConfiguration: undefined };
  const bytes = base64Decode(challenge.trim());
  if (!bytes) return unknown;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return unknown;
  }
  if (typeof value !== 'object' || value === null) return unknown;
  const fields = value as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof fields[key] === 'string' ? fields[key] : undefined;
  return {
    status: text('status') ?? 'unknown',
    scope: text('scope'),
    openidConfiguration: text('openid-configuration'),
  };
}

/**
 * RFC 7628's saslname (the GS2 header's authorization identity): `=` and `,` are escaped as `=3D`
 * and `=2C`, so a user name holding them cannot end the header early.
 */
export function gs2SaslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/**
 * RFC 6750's b64token, the only characters a bearer token may hold: anything else (a space, %x01 that
 * separates the key-value pairs, a quote) would change the message the server reads.
 */
export function isBearerToken(token: string): boolean {
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(token);
}
