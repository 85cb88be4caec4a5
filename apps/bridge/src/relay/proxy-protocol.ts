import { parseIpLiteral, unwrapMapped, type IpAddress } from '../policy/address.js';

/** The PROXY protocol versions a configured server may ask for (HAProxy's proxy-protocol.txt). */
export type ProxyProtocolVersion = 'v1' | 'v2';

/** One end of the browser's connection: an IP address (any spelling `parseIpLiteral` reads) and a port. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** The v2 header's fixed 12-byte signature. */
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** Version 2, command PROXY. */
const V2_PROXY = 0x21;
/** Address family and transport: TCP over IPv4, TCP over IPv6. */
const V2_TCP4 = 0x11;
const V2_TCP6 = 0x21;

/**
 * The header that opens an upstream connection so the mail server sees the browser's address instead
 * of the bridge's: `source` is the browser, `destination` the address the browser connected to. Both
 * ends must be of one family; when they differ, IPv4 is written as IPv4-mapped IPv6.
 */
export function proxyHeader(version: ProxyProtocolVersion, source: Endpoint, destination: Endpoint): Buffer {
  const [from, to] = sameFamily(ipOf(source), ipOf(destination));
  checkPort(source.port);
  checkPort(destination.port);
  if (version === 'v1') {
    const family = from.family === 4 ? 'TCP4' : 'TCP6';
    return Buffer.from(
      `PROXY ${family} ${v1Address(from)} ${v1Address(to)} ${source.port} ${destination.port}\r\n`,
      'latin1',
    );
  }
  const addressLength = from.bytes.length * 2 + 4;
  const header = Buffer.alloc(V2_SIGNATURE.length + 4 + addressLength);
  V2_SIGNATURE.copy(header, 0);
  let at = V2_SIGNATURE.length;
  header[at++] = V2_PROXY;
  header[at++] = from.family === 4 ? V2_TCP4 : V2_TCP6;
  at = header.writeUInt16BE(addressLength, at);
  header.set(from.bytes, at);
  header.set(to.bytes, (at += from.bytes.length));
  at = header.writeUInt16BE(source.port, at + to.bytes.length);
  header.writeUInt16BE(destination.port, at);
  return header;
}

function ipOf(endpoint: Endpoint): IpAddress {
  const ip = parseIpLiteral(endpoint.address);
  if (!ip) throw new TypeError(`not an IP address: ${endpoint.address}`);
  return unwrapMapped(ip);
}

function sameFamily(a: IpAddress, b: IpAddress): [IpAddress, IpAddress] {
  return a.family === b.family ? [a, b] : [asIPv6(a), asIPv6(b)];
}

function asIPv6(ip: IpAddress): IpAddress {
  if (ip.family === 6) return ip;
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  bytes.set(ip.bytes, 12);
  return { family: 6, bytes };
}

/** v1 wants dotted quads and full IPv6 text (compressed forms are allowed; mapped IPv4 stays hex). */
function v1Address(ip: IpAddress): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((ip.bytes[i] as number) << 8) | (ip.bytes[i + 1] as number)).toString(16));
  return groups.join(':');
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`not a port: ${port}`);
}
