/**
 * The origin check of a WebSocket upgrade. Browsers always send `Origin` on WebSocket requests, so a
 * missing one means a non-browser client or a stripped header: refused like a wrong one. Pages of other
 * sites get a different Origin and so cannot use a visitor's browser (and network position) as a relay.
 */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  const normalised = origin === undefined ? undefined : normaliseOrigin(origin);
  return normalised !== undefined && allowed.includes(normalised);
}

/** `scheme://host[:port]` in canonical form (lower case, default port dropped); undefined if not one. */
export function normaliseOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/**
 * The origin a trusted proxy serves the bridge under: its forwarded Host (already on the allowlist)
 * with the scheme it forwarded. Only for requests from trusted proxies, whose public port and scheme
 * the bridge cannot know from its own socket.
 */
export function ownOrigin(host: string | undefined, scheme: 'http' | 'https'): string | undefined {
  if (!host) return undefined;
  return normaliseOrigin(`${scheme}://${host}`);
}

/** Longest header value copied into the log (the values are the browser's, so bounded). */
const LOGGED_HEADER_CHARS = 200;

type RequestHeaders = { headers: Record<string, string | string[] | undefined> };

function cameThroughProxy(req: RequestHeaders): boolean {
  return req.headers['x-forwarded-for'] !== undefined || req.headers['x-forwarded-proto'] !== undefined;
}

/**
 * What the origin_denied log line says, so an operator can fix the configuration: the Origin received,
 * those expected, and, when the request came through a proxy, why the bridge's own origin may be
 * wrong (an untrusted proxy's Host and X-Forwarded-Proto are not believed).
 */
export function originDeniedDetails(
  req: RequestHeaders,
  expected: readonly string[],
  configured: boolean,
  fromTrustedProxy: boolean,
): { originReceived: string | null; originsExpected: string[]; hint?: string } {
  const received = req.headers.origin;
  const details = {
    originReceived: typeof received === 'string' ? received.slice(0, LOGGED_HEADER_CHARS) : null,
    originsExpected: [...expected],
  };
  if (cameThroughProxy(req) && !fromTrustedProxy && !configured) {
    return {
      ...details,
      hint: 'the request came through a proxy that is not in trustedProxies, so its X-Forwarded-Proto was ignored; add the proxy to trustedProxies or list the public origin in origins',
    };
  }
  if (cameThroughProxy(req) && !configured) {
    return {
      ...details,
      hint: 'behind a proxy the own origin comes from Host and X-Forwarded-Proto: check that the proxy passes both, or list the public origin in origins',
    };
  }
  return details;
}

/** What the log line of a refused `Host` says: the name received, those served, and what to configure. */
export function hostDeniedDetails(
  req: RequestHeaders,
  served: readonly string[],
  fromTrustedProxy: boolean,
): { hostReceived: string | null; hostsExpected: string[]; hint: string } {
  const received = req.headers.host;
  return {
    hostReceived: typeof received === 'string' ? received.slice(0, LOGGED_HEADER_CHARS) : null,
    hostsExpected: [...served],
    hint:
      cameThroughProxy(req) && !fromTrustedProxy
        ? 'the bridge answers only for its own host names: list the public name in hosts (or its origin in origins), and the proxy in trustedProxies'
        : 'the bridge answers only for its own host names: list the public name in hosts (or its origin in origins)',
  };
}
