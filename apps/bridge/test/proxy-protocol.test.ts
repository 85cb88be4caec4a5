// The PROXY protocol header (HAProxy's proxy-protocol.txt), version 1 (text) and 2 (binary). Real
// Dovecot reads both in dovecot-proxy-protocol.test.ts; here the exact bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpLiteral, unwrapMapped, type IpAddress } from '../src/policy/address.js';
import { proxyHeader } from '../src/relay/proxy-protocol.js';

const SIGNATURE = '0d0a0d0a000d0a515549540a';

describe('PROXY protocol v1', () => {
  it('IPv4', () => {
    const header = proxyHeader(
      'v1',
      { address: '203.0.113.7', port: 51234 },
      { address: '192.0.2.1', port: 443 },
    );
    expect(header.toString('latin1')).toBe('PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\r\n');
  });

  it('IPv6, and IPv4-mapped peers as IPv4', () => {
    expect(
      proxyHeader('v1', { address: '2001:db8::1', port: 1 }, { address: '2001:db8::2', port: 2 }).toString(),
    ).toBe('PROXY TCP6 2001:db8:0:0:0:0:0:1 2001:db8:0:0:0:0:0:2 1 2\r\n');
    expect(
      proxyHeader(
        'v1',
        { address: '::ffff:127.0.0.5', port: 3 },
        { address: '127.0.0.1', port: 4 },
      ).toString(),
    ).toBe('PROXY TCP4 127.0.0.5 127.0.0.1 3 4\r\n');
  });

  it('mixed families as IPv6 (IPv4-mapped), since both ends must share one', () => {
    expect(
      proxyHeader('v1', { address: '2001:db8::9', port: 5 }, { address: '10.0.0.1', port: 6 }).toString(),
    ).toBe('PROXY TCP6 2001:db8:0:0:0:0:0:9 0:0:0:0:0:ffff:a00:1 5 6\r\n');
  });

  it("at most 107 bytes (the spec's limit), even for the longest IPv6 text", () => {
    const long = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    expect(
      proxyHeader('v1', { address: long, port: 65535 }, { address: long, port: 65535 }).length,
    ).toBeLessThanOrEqual(107);
  });
});

describe('PROXY protocol v2', () => {
  it('IPv4: signature, PROXY command, TCP over IPv4, 12 address bytes', () => {
    const header = proxyHeader(
      'v2',
      { address: '203.0.113.7', port: 51234 },
      { address: '192.0.2.1', port: 443 },
    );
    expect(header.toString('hex')).toBe(`${SIGNATURE}2111000c` + 'cb007107' + 'c0000201' + 'c822' + '01bb');
  });

  it('IPv6: TCP over IPv6, 36 address bytes', () => {
    const header = proxyHeader('v2', { address: '2001:db8::1', port: 1 }, { address: '::1', port: 2 });
    expect(header.subarray(12, 16).toString('hex')).toBe('21210024');
    expect(header.length).toBe(16 + 36);
  });

  it('any addresses and ports come back out of the header', () => {
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
    const endpoint = fc.record({ address: fc.oneof(ipv4, fc.ipV6()), port: fc.nat(65535) });
    /** The address's bytes as the header must carry them: IPv4 in 4 bytes, or IPv4-mapped in 16. */
    const bytesOf = (address: string, size: number): string => {
      const ip = unwrapMapped(parseIpLiteral(address) as IpAddress);
      const prefix = ip.family === 4 && size === 16 ? '00000000000000000000ffff' : '';
      return prefix + Buffer.from(ip.bytes).toString('hex');
    };
    fc.assert(
      fc.property(endpoint, endpoint, (source, destination) => {
        const header = proxyHeader('v2', source, destination);
        expect(header.subarray(0, 12).toString('hex')).toBe(SIGNATURE);
        const length = header.readUInt16BE(14);
        expect(header.length).toBe(16 + length);
        const size = header[13] === 0x11 ? 4 : 16;
        expect(length).toBe(size * 2 + 4);
        expect(header.subarray(16, 16 + size).toString('hex')).toBe(bytesOf(source.address, size));
        expect(header.subarray(16 + size, 16 + 2 * size).toString('hex')).toBe(
          bytesOf(destination.address, size),
        );
        expect(header.readUInt16BE(16 + 2 * size)).toBe(source.port);
        expect(header.readUInt16BE(18 + 2 * size)).toBe(destination.port);
      }),
    );
  });

  it('refuses what is not an address or a port', () => {
    expect(() =>
      proxyHeader('v2', { address: 'mail.example', port: 1 }, { address: '::1', port: 1 }),
    ).toThrow(TypeError);
    expect(() => proxyHeader('v1', { address: '::1', port: 70000 }, { address: '::1', port: 1 })).toThrow(
      RangeError,
    );
  });
});
