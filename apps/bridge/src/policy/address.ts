import net from 'node:net';

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/** Why an address is not one the bridge connects to on a browser's say-so. */
export type AddressCategory =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

const PART = /^(?:0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i;

/**
 * Parses IPv4 in every spelling the C library's inet_aton (and so a resolver) accepts: `127.0.0.1`,
 * `127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`. An attacker's "host name" in one of these forms must
 * be checked as the address it is, not passed to DNS as a name.
 */
export function parseIPv4Loose(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || !parts.every((part) => PART.test(part))) return undefined;
  const numbers = parts.map((part) =>
    /^0x/i.test(part)
      ? parseInt(part.slice(2), 16)
      : part.length > 1 && part.startsWith('0')
        ? parseInt(part, 8)
        : Number(part),
  );
  const last = numbers.pop() as number;
  if (numbers.some((n) => n > 255)) return undefined;
  // The last part fills the bytes the others leave: a (32 bits), a.b (8.24), a.b.c (8.8.16).
  if (last >= 2 ** (8 * (4 - numbers.length))) return undefined;
  let value = last;
  numbers.forEach((n, i) => (value += n * 2 ** (8 * (3 - i))));
  return Uint8Array.of(value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255);
}

/** Parses an IPv6 address (optionally with a trailing dotted IPv4 part) into 16 bytes; no zone ids. */
export function parseIPv6(text: string): Uint8Array | undefined {
  if (!net.isIPv6(text) || text.includes('%')) return undefined;
  let groups: number[] = [];
  const halves = text.split('::');
  const parseHalf = (half: string): number[] => {
    if (half === '') return [];
    const out: number[] = [];
    for (const piece of half.split(':')) {
      if (piece.includes('.')) {
        const v4 = parseIPv4Strict(piece);
        if (!v4) return [NaN];
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = parseHalf(halves[0] ?? '');
  if (halves.length === 2) {
    const tail = parseHalf(halves[1] ?? '');
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff))
    return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 255;
  });
  return bytes;
}

function parseIPv4Strict(text: string): Uint8Array | undefined {
  return net.isIPv4(text) ? Uint8Array.from(text.split('.').map(Number)) : undefined;
}

/**
 * Reads a host as an IP address literal: IPv6 (bracketed or not) or IPv4 in any inet_aton spelling,
 * with one trailing dot allowed. Undefined when the host is a name.
 */
export function parseIpLiteral(host: string): IpAddress | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const v6 = parseIPv6(bare);
  if (v6) return { family: 6, bytes: v6 };
  const v4 = parseIPv4Loose(bare.endsWith('.') ? bare.slice(0, -1) : bare);
  return v4 ? { family: 4, bytes: v4 } : undefined;
}

/**
 * True when the host's last label is numeric, so resolvers would take the host as an IPv4 address:
 * such a host must parse as one (`1.2.3.999` is neither a name nor an address).
 */
export function looksNumeric(host: string): boolean {
  const labels = host.replace(/\.$/, '').split('.');
  return /^(?:0x[0-9a-f]*|[0-9]+)$/i.test(labels[labels.length - 1] ?? '');
}

/** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  const groups = Array.from(
    { length: 8 },
    (_, i) => ((ip.bytes[2 * i] as number) << 8) | (ip.bytes[2 * i + 1] as number),
  );
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Canonical text of an address string, or undefined when it is not an IP literal. */
export function normaliseIp(text: string): string | undefined {
  const ip = parseIpLiteral(text);
  return ip ? formatIp(unwrapMapped(ip)) : undefined;
}

/** `::ffff:a.b.c.d` (how dual-stack sockets report IPv4 peers) as plain IPv4; other addresses as they are. */
export function unwrapMapped(ip: IpAddress): IpAddress {
  if (ip.family === 6 && startsWith(ip.bytes, MAPPED, 96)) return { family: 4, bytes: ip.bytes.slice(12) };
  return ip;
}

interface Range {
  readonly prefix: Uint8Array;
  readonly bits: number;
  readonly category: AddressCategory;
}

const v4 = (text: string, bits: number, category: AddressCategory): Range => ({
  prefix: parseIPv4Strict(text) as Uint8Array,
  bits,
  category,
});
const v6 = (text: string, bits: number, category: AddressCategory): Range => ({
  prefix: parseIPv6(text) as Uint8Array,
  bits,
  category,
});

// First match wins, so narrower ranges come before the wider ones that contain them.
const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0', 8, 'unspecified'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'shared (CGNAT)'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'documentation'),
  v4('192.88.99.0', 24, 'reserved'),
  v4('192.168.0.0', 16, 'private'),
  v4('198.18.0.0', 15, 'reserved'),
  v4('198.51.100.0', 24, 'documentation'),
  v4('203.0.113.0', 24, 'documentation'),
  v4('224.0.0.0', 4, 'multicast'),
  v4('255.255.255.255', 32, 'broadcast'),
  v4('240.0.0.0', 4, 'reserved'),
];

const MAPPED = parseIPv6('::ffff:0:0') as Uint8Array;
// IPv6 forms that carry an IPv4 address in their last 32 bits: judged by that address.
const EMBEDDING_IPV4: readonly Uint8Array[] = [
  MAPPED, // ::ffff:0:0/96, IPv4-mapped
  parseIPv6('::ffff:0:0:0') as Uint8Array, // ::ffff:0:0:0/96, IPv4-translated (SIIT)
  parseIPv6('64:ff9b::') as Uint8Array, // 64:ff9b::/96, NAT64
  new Uint8Array(16), // ::/96, IPv4-compatible (deprecated); :: and ::1 are matched before
];

const IPV6_RANGES: readonly Range[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  v6('64:ff9b:1::', 48, 'private'),
  v6('100::', 64, 'reserved'),
  v6('2001:db8::', 32, 'documentation'),
  v6('2001::', 23, 'reserved'), // IETF protocol assignments, Teredo (2001::/32) included
  v6('3fff::', 20, 'documentation'),
  v6('fc00::', 7, 'private'),
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'private'),
  v6('ff00::', 8, 'multicast'),
];

const GLOBAL_UNICAST = v6('2000::', 3, 'public');
const SIX_TO_FOUR = v6('2002::', 16, 'public');

/** What kind of address this is; only `public` ones may be reached on a browser's say-so. */
export function classifyAddress(ip: IpAddress): AddressCategory {
  if (ip.family === 4)
    return IPV4_RANGES.find((r) => startsWith(ip.bytes, r.prefix, r.bits))?.category ?? 'public';
  const exact = IPV6_RANGES.find((r) => r.bits === 128 && startsWith(ip.bytes, r.prefix, 128));
  if (exact) return exact.category;
  if (EMBEDDING_IPV4.some((prefix) => startsWith(ip.bytes, prefix, 96))) {
    return classifyAddress({ family: 4, bytes: ip.bytes.slice(12) });
  }
  if (startsWith(ip.bytes, SIX_TO_FOUR.prefix, 16)) {
    // 2002:AABB:CCDD::/48 routes to the IPv4 address AA.BB.CC.DD.
    const embedded = classifyAddress({ family: 4, bytes: ip.bytes.slice(2, 6) });
    if (embedded !== 'public') return embedded;
  }
  const range = IPV6_RANGES.find((r) => startsWith(ip.bytes, r.prefix, r.bits));
  if (range) return range.category;
  return startsWith(ip.bytes, GLOBAL_UNICAST.prefix, 3) ? 'public' : 'reserved';
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  if (bytes.length !== prefix.length) return false;
  const whole = Math.floor(bits / 8);
  for (let i = 0; i < whole; i++) if (bytes[i] !== prefix[i]) return false;
  const rest = bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[whole] as number) & mask) === ((prefix[whole] as number) & mask);
}

/** An address range: `10.0.0.0/8`, `2001:db8::/32`, or a single address. */
export interface Cidr {
  readonly ip: IpAddress;
  readonly bits: number;
}

/** Parses `address/prefix` (or a bare address: all its bits) with strict address syntax. */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefix, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  const ip = net.isIPv4(address)
    ? { family: 4 as const, bytes: parseIPv4Strict(address) as Uint8Array }
    : net.isIPv6(address)
      ? { family: 6 as const, bytes: parseIPv6(address) }
      : undefined;
  if (!ip?.bytes) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  if (prefix === undefined) return { ip: ip as IpAddress, bits: max };
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return undefined;
  return { ip: ip as IpAddress, bits: Number(prefix) };
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  const plain = unwrapMapped(ip);
  return plain.family === cidr.ip.family && startsWith(plain.bytes, cidr.ip.bytes, cidr.bits);
}

/**
 * The key per-client limits count by: the IPv4 address, or the IPv6 /64 (one subscriber's usual
 * allocation, so rotating through a /64 does not multiply the limits).
 */
export function clientKey(address: string): string {
  const ip = parseIpLiteral(address);
  if (!ip) return address;
  const plain = unwrapMapped(ip);
  if (plain.family === 4) return formatIp(plain);
  const bytes = plain.bytes.slice();
  bytes.fill(0, 8);
  return `${formatIp({ family: 6, bytes })}/64`;
}
