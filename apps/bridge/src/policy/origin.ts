/**
 * The origin check of a WebSocket upgrade. Browsers always send `Origin` on WebSocket requests, so a
 * missing one means a non-browser client or a stripped header: refused like a wrong one. Pages of other
 * sites get a different Origin and so cannot use a visitor's browser (and network position) as a relay.
 */
export function isOriginAllowed(
  origin: string | undefined,
  allowed: readonly string[] | null,
  ownOrigin: string | undefined,
): boolean {
  const normalised = origin === undefined ? undefined : normaliseOrigin(origin);
  if (normalised === undefined) return false;
  if (allowed !== null) return allowed.includes(normalised);
  return ownOrigin !== undefined && normalised === ownOrigin;
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

/** The bridge's own origin as the browser sees it: the Host header with the scheme it was reached by. */
export function ownOrigin(host: string | undefined, scheme: 'http' | 'https'): string | undefined {
  if (!host) return undefined;
  return normaliseOrigin(`${scheme}://${host}`);
}
