import type { OAuthProvider } from './types.js';

const strings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * A server's `oauth` from `/api/servers`, when it is well-formed (the bridge validated it; an older or
 * odd answer gets no OAuth button rather than a broken one).
 */
export function parseOAuthProvider(value: unknown): OAuthProvider | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const text = (key: string) =>
    typeof v[key] === 'string' && v[key] !== '' ? (v[key] as string) : undefined;
  const [label, issuer, clientId, usernameClaim] = ['label', 'issuer', 'clientId', 'usernameClaim'].map(text);
  if (!label || !issuer || !clientId || !strings(v.scopes) || v.scopes.length === 0) return undefined;
  const authorizationEndpoint = text('authorizationEndpoint');
  const tokenEndpoint = text('tokenEndpoint');
  const audience = text('audience');
  const params = v.authorizationParams;
  const authorizationParams =
    typeof params === 'object' && params !== null && Object.values(params).every((p) => typeof p === 'string')
      ? (params as Record<string, string>)
      : undefined;
  return {
    label,
    issuer,
    clientId,
    scopes: v.scopes,
    usernameClaim: usernameClaim ?? 'email',
    ...(audience ? { audience } : {}),
    ...(authorizationEndpoint && tokenEndpoint ? { authorizationEndpoint, tokenEndpoint } : {}),
    ...(authorizationParams ? { authorizationParams } : {}),
  };
}
