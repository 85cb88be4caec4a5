import { cidrContains, normaliseIp, parseCidr, parseIpLiteral, type Cidr } from './address.js';

/** A set of addresses and CIDR ranges (IPv4-mapped IPv6 peers match their IPv4 entries). */
export class AddressRanges {
  private readonly ranges: readonly Cidr[];

  constructor(entries: readonly string[]) {
    this.ranges = entries.map((entry) => {
      const cidr = parseCidr(entry);
      if (!cidr) throw new Error(`not an address or CIDR range: ${entry}`);
      return cidr;
    });
  }

  get empty(): boolean {
    return this.ranges.length === 0;
  }

  has(address: string): boolean {
    const ip = parseIpLiteral(address);
    return ip !== undefined && this.ranges.some((range) => cidrContains(range, ip));
  }
}

/** The reverse proxies whose `X-Forwarded-*` headers are believed (config `trustedProxies`). */
export class TrustedProxies extends AddressRanges {}

/**
 * One `X-Forwarded-For` entry as an address: `ip`, `ip:port` (IPv4), `[v6]` or `[v6]:port`, as proxies
 * write them; undefined when it is none of these (garbage or an obfuscated identifier).
 */
export function forwardedAddress(entry: string): string | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry);
  if (bracketed) return normaliseIp(bracketed[1] as string);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  if (v4WithPort) return normaliseIp(v4WithPort[1] as string);
  return normaliseIp(entry);
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy; then `X-Forwarded-For` is read
 * from the right (the entry the nearest proxy appended), skipping trusted proxies, and the first
 * untrusted entry is the client. Entries left of it were written by the client and prove nothing.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string {
  let client = normaliseIp(peer) ?? peer;
  if (!trusted.has(client) || forwardedFor === undefined) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = forwardedAddress(hops[i] as string);
    if (hop === undefined) break; // garbage (or an obfuscated id): stop at the last hop we know
    client = hop;
    if (!trusted.has(hop)) break;
  }
  return client;
}

/** The scheme the browser used: `X-Forwarded-Proto` from a trusted proxy, else how we were reached. */
export function requestScheme(
  peer: string,
  forwardedProto: string | string[] | undefined,
  encrypted: boolean,
  trusted: TrustedProxies,
): 'http' | 'https' {
  if (encrypted) return 'https';
  const proto = Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto;
  if (proto !== undefined && trusted.has(normaliseIp(peer) ?? peer)) {
    const first = proto.split(',')[0]?.trim().toLowerCase();
    if (first === 'https' || first === 'wss') return 'https';
  }
  return 'http';
}
