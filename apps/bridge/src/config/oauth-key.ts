import { fail, nonEmptyString, object, only, optionalArray, show } from './readers.js';
import type { OAuthConfig } from './schema.js';

const CLAIM = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Parameters the web app sets itself (the flow's own); the operator cannot override them. */
const RESERVED_PARAMETERS = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'resource',
]);

/**
 * `servers[].oauth`: a public client of an OpenID Connect / OAuth 2.0 provider (authorization code
 * with PKCE in the page; no client secret exists, so none can be configured).
 */
export function oauthProvider(value: unknown, serverPath: string): OAuthConfig {
  const path = `${serverPath}.oauth`;
  const o = object(value, path);
  if ('clientSecret' in o)
    fail(`${path}.clientSecret`, 'a browser cannot keep a secret: use a public client');
  only(o, path, [
    'label',
    'issuer',
    'clientId',
    'scopes',
    'audience',
    'authorizationEndpoint',
    'tokenEndpoint',
    'usernameClaim',
    'authorizationParams',
  ]);
  const issuer = endpoint(o.issuer, `${path}.issuer`);
  const scopes = optionalArray(o.scopes, `${path}.scopes`).map((scope, i) => {
    const text = nonEmptyString(scope, `${path}.scopes[${i}]`);
    if (/[\s"\\]/.test(text)) fail(`${path}.scopes[${i}]`, 'one scope per entry, without spaces or quotes');
    return text;
  });
  if (scopes.length === 0) fail(`${path}.scopes`, 'name the scopes the mail server needs');
  const hasAuthorization = o.authorizationEndpoint !== undefined;
  const hasToken = o.tokenEndpoint !== undefined;
  if (hasAuthorization !== hasToken) {
    fail(path, 'give both "authorizationEndpoint" and "tokenEndpoint", or neither (discovery at the issuer)');
  }
  const usernameClaim =
    o.usernameClaim === undefined ? 'email' : nonEmptyString(o.usernameClaim, `${path}.usernameClaim`);
  if (!CLAIM.test(usernameClaim)) fail(`${path}.usernameClaim`, `not a claim name: ${show(usernameClaim)}`);
  return {
    label: o.label === undefined ? new URL(issuer).hostname : nonEmptyString(o.label, `${path}.label`),
    issuer,
    clientId: nonEmptyString(o.clientId, `${path}.clientId`),
    scopes,
    ...(o.audience !== undefined ? { audience: nonEmptyString(o.audience, `${path}.audience`) } : {}),
    ...(hasAuthorization
      ? {
          authorizationEndpoint: endpoint(o.authorizationEndpoint, `${path}.authorizationEndpoint`),
          tokenEndpoint: endpoint(o.tokenEndpoint, `${path}.tokenEndpoint`),
        }
      : {}),
    usernameClaim,
    ...(o.authorizationParams !== undefined
      ? { authorizationParams: parameters(o.authorizationParams, `${path}.authorizationParams`) }
      : {}),
  };
}

/** An https URL (http only on loopback, for tests and local providers), without credentials or fragment. */
function endpoint(value: unknown, path: string): string {
  const text = nonEmptyString(value, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(path, `not a URL: ${show(text)}`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    fail(path, 'use https (http only for a provider on loopback)');
  }
  if (url.username || url.password || url.hash) fail(path, 'no credentials or fragment in the URL');
  // As given: an issuer must equal the tokens' `iss` character for character (a trailing slash counts).
  return text;
}

function parameters(value: unknown, path: string): Readonly<Record<string, string>> {
  const o = object(value, path);
  const result: Record<string, string> = {};
  for (const [name, given] of Object.entries(o)) {
    if (RESERVED_PARAMETERS.has(name)) fail(`${path}.${name}`, 'set by the web app itself');
    result[name] = nonEmptyString(given, `${path}.${name}`);
  }
  return result;
}

/**
 * What the web app's pages may fetch for OAuth besides the bridge (CSP connect-src): each configured
 * token endpoint exactly, or where a provider is found by discovery, its issuer's discovery document
 * and the issuer's origin (whose token endpoint the document names).
 */
export function oauthConnectSources(providers: readonly (OAuthConfig | undefined)[]): string[] {
  const sources = new Set<string>();
  for (const provider of providers) {
    if (!provider) continue;
    if (provider.tokenEndpoint) sources.add(provider.tokenEndpoint);
    else sources.add(new URL(provider.issuer).origin);
  }
  return [...sources].sort();
}
