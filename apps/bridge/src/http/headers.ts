import type { ServerResponse } from 'node:http';

/**
 * The web app's Content Security Policy: no inline or foreign scripts, network access only to the bridge
 * itself (the WebSocket relay included: `'self'` covers ws/wss of the same host in current browsers),
 * messages rendered in sandboxed blob:/data: frames, and no framing of the app by other sites.
 */
export function contentSecurityPolicy(oauthSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Besides the bridge: the configured OAuth token endpoints (or discovery issuers), and nothing else.
    ['connect-src', "'self'", ...oauthSources].join(' '),
    // Remote images are allowed here only because a message's srcdoc frame inherits this policy; its own
    // stricter CSP blocks them until the reader clicks "Show images".
    "img-src 'self' data: blob: https: http:",
    "style-src 'self' 'unsafe-inline'",
    "frame-src 'self' blob: data:",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The policy of a bridge without OAuth providers. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** The web app's page for the frame that sanitizes message HTML (apps/web/sanitizer.html). */
export const SANITIZER_PAGE = '/sanitizer.html';

/**
 * The sanitizer page's own policy: its scripts only, nothing to fetch, framed by the app alone (the app
 * frames it sandboxed with allow-scripts, an opaque origin: 'self' here is its URL's origin).
 */
export const SANITIZER_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * What differs for the sanitizer frame (`urlPath`: the path below the base path): its page may be
 * framed by the app, and the app's scripts may be loaded by its opaque origin, which fetches module
 * scripts in CORS mode with `Origin: null` (the build's scripts are public; no credentials are sent).
 */
export function setSanitizerFrameHeaders(res: ServerResponse, urlPath: string): void {
  if (urlPath === SANITIZER_PAGE) {
    res.setHeader('Content-Security-Policy', SANITIZER_CONTENT_SECURITY_POLICY);
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  } else if (/^\/assets\/[^/]+\.js$/.test(urlPath)) {
    res.setHeader('Access-Control-Allow-Origin', '*');
  }
}

/** Headers on every HTTP response of the bridge. */
export function setSecurityHeaders(
  res: ServerResponse,
  https: boolean,
  policy = CONTENT_SECURITY_POLICY,
): void {
  res.setHeader('Content-Security-Policy', policy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (https) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
}

/** Hashed build output (Vite: `/assets/name-[hash].ext`) never changes, so it is cached for a year. */
export function cacheControlFor(urlPath: string): string {
  if (/^\/assets\/.+[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(urlPath))
    return 'public, max-age=31536000, immutable';
  return 'no-cache';
}
