import os from 'node:os';
import { normaliseIp, parseIpLiteral } from './address.js';
import { normaliseOrigin } from './origin.js';

/**
 * A `Host` header's host name in canonical form: lower case, one trailing dot dropped, IPv6 in
 * brackets, IPv4 as a dotted quad; undefined when it is missing or not a host[:port].
 */
export function hostName(header: string | undefined): string | undefined {
  if (!header || /[\s/@?#\\]/.test(header)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${header}`);
  } catch {
    return undefined;
  }
  return canonicalHost(url.hostname);
}

/** A configured or reported host name in the form hostName() returns. */
export function canonicalHost(name: string): string | undefined {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  if (!lower) return undefined;
  const ip = parseIpLiteral(lower);
  if (ip) {
    const text = normaliseIp(lower) as string;
    return text.includes(':') ? `[${text}]` : text;
  }
  return /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/.test(lower) ? lower : undefined;
}

const WILDCARD_BINDS = new Set(['', '0.0.0.0', '::', '[::]']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

function isLoopbackBind(host: string): boolean {
  const canonical = canonicalHost(host);
  return canonical === 'localhost' || canonical === '[::1]' || /^127\./.test(canonical ?? '');
}

/**
 * The host names the bridge answers for when `hosts` is not configured: the listen address (a loopback
 * bind adds `localhost`, `127.0.0.1` and `[::1]`; a wildcard bind every address of this machine's
 * interfaces and `localhost`), and the host of every configured origin. A DNS-rebinding page reaches
 * the bridge under its own name, which is none of these.
 */
export function defaultHosts(
  listenHost: string,
  origins: readonly string[] | null,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): string[] {
  const names = new Set<string>();
  const add = (name: string | undefined) => {
    const canonical = name === undefined ? undefined : canonicalHost(name);
    if (canonical) names.add(canonical);
  };
  if (WILDCARD_BINDS.has(listenHost.trim())) {
    for (const entries of Object.values(interfaces)) for (const entry of entries ?? []) add(entry.address);
    LOOPBACK_NAMES.forEach(add);
  } else {
    add(listenHost);
    if (isLoopbackBind(listenHost)) LOOPBACK_NAMES.forEach(add);
  }
  for (const origin of origins ?? []) add(new URL(origin).hostname);
  return [...names];
}

/** The `Host` allowlist, checked on every request: pages, `/api/*`, health, metrics and the WebSocket. */
export class HostAllowlist {
  private readonly names: ReadonlySet<string>;

  constructor(readonly hosts: readonly string[]) {
    this.names = new Set(hosts.map((host) => canonicalHost(host) ?? host));
  }

  allows(header: string | undefined): boolean {
    const name = hostName(header);
    return name !== undefined && this.names.has(name);
  }

  /**
   * The default allowed origins: each allowed host with the bridge's own scheme and port. Taken from
   * the configuration and the listening socket, never from the request.
   */
  origins(scheme: 'http' | 'https', port: number): string[] {
    return [...this.names].flatMap((name) => normaliseOrigin(`${scheme}://${name}:${port}`) ?? []);
  }
}
