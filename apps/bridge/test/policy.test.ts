// The policy functions on their own, with a stubbed resolver: nothing here opens a connection, so
// addresses outside loopback (cloud metadata, private ranges) are checked without any traffic.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import {
  classifyAddress,
  clientKey,
  normaliseIp,
  parseCidr,
  parseIpLiteral,
  type IpAddress,
} from '../src/policy/address.js';
import { clientAddress, forwardedAddress, requestScheme, TrustedProxies } from '../src/policy/client-ip.js';
import { defaultHosts, hostName, HostAllowlist } from '../src/policy/host.js';
import { HandshakeGuard } from '../src/policy/handshake.js';
import { ConnectionLimits } from '../src/policy/limits.js';
import { isOriginAllowed, ownOrigin } from '../src/policy/origin.js';
import { NewConnectionRate } from '../src/policy/rate.js';
import { resolveTarget } from '../src/policy/target.js';
import { BridgeError } from '../src/errors.js';
import { stubResolver } from './support/bridge.js';

const classify = (text: string) => classifyAddress(parseIpLiteral(text) as IpAddress);

describe('address classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    // IPv4-mapped, -compatible, translated, NAT64 and 6to4 forms are judged by the IPv4 inside.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2001::1', 'reserved'], // Teredo
  ])('%s is %s', (address, category) => {
    expect(classify(address)).toBe(category);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:1.1.1.1',
    '2002:101:101::1',
  ])('%s is public', (address) => {
    expect(classify(address)).toBe('public');
  });

  it('reads every inet_aton spelling of an IPv4 address as that address', () => {
    for (const spelling of [
      '127.1',
      '127.0.1',
      '2130706433',
      '0x7f000001',
      '0x7F.1',
      '0177.0.0.1',
      '017700000001',
      '127.0.0.1.',
    ]) {
      expect(normaliseIp(spelling), spelling).toBe('127.0.0.1');
    }
    expect(normaliseIp('0xa9fea9fe')).toBe('169.254.169.254');
    expect(normaliseIp('[::ffff:127.0.0.1]')).toBe('127.0.0.1');
    expect(normaliseIp('0:0:0:0:0:0:0:1')).toBe('::1');
    for (const notAnAddress of [
      '256.0.0.1',
      '1.2.3.4.5',
      '08.0.0.1',
      '4294967296',
      'mail.example.org',
      '::1%lo',
      '1.256.1',
    ]) {
      expect(parseIpLiteral(notAnAddress), notAnAddress).toBeUndefined();
    }
  });

  it('parses CIDR ranges strictly and keys IPv6 clients by /64', () => {
    expect(parseCidr('10.0.0.0/8')?.bits).toBe(8);
    expect(parseCidr('2001:db8::/32')?.bits).toBe(32);
    expect(parseCidr('127.1/8')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:db8:1:2:bbbb::2'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
  });
});

describe('target policy (resolveTarget with a stub resolver)', () => {
  const anyTarget = loadConfig({ allowAnyTarget: true });

  async function denied(host: string, table: Record<string, string[]> = {}, config = anyTarget) {
    const stub = stubResolver(table);
    const error = await resolveTarget({ host, port: 995, security: 'tls' }, config, stub.resolver).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BridgeError);
    return { error: error as BridgeError, queries: stub.queries };
  }

  it('refuses 169.254.169.254 (cloud metadata) in every spelling, without DNS', async () => {
    for (const host of [
      '169.254.169.254',
      '0xa9fea9fe',
      '2852039166',
      '169.254.43518',
      '::ffff:169.254.169.254',
      '[::ffff:a9fe:a9fe]',
    ]) {
      const { error, queries } = await denied(host);
      expect(error.code, host).toBe('address_denied');
      expect(error.closeCode).toBe(4003);
      expect(queries).toEqual([]);
    }
  });

  it('refuses a name whose addresses are all private, and uses only the public ones of a mixed answer', async () => {
    const { error } = await denied('intranet.example.test', {
      'intranet.example.test': ['10.0.0.5', 'fd00::5'],
    });
    expect(error.code).toBe('address_denied');
    expect(error.message).toMatch(/private/);
    const stub = stubResolver({
      'mixed.example.test': ['10.0.0.5', '192.0.2.300', '93.184.216.34', '::ffff:127.0.0.1'],
    });
    const target = await resolveTarget(
      { host: 'Mixed.Example.Test.', port: 995, security: 'tls' },
      anyTarget,
      stub.resolver,
    );
    expect(target).toMatchObject({
      serverId: null,
      host: 'mixed.example.test',
      addresses: ['93.184.216.34'],
    });
    expect(stub.queries).toEqual(['mixed.example.test']);
  });

  it('allows a public literal without DNS and keeps the address as the TLS name', async () => {
    const stub = stubResolver({});
    const target = await resolveTarget(
      { host: '93.184.216.34', port: 995, security: 'tls' },
      anyTarget,
      stub.resolver,
    );
    expect(target).toMatchObject({ host: '93.184.216.34', addresses: ['93.184.216.34'] });
    expect(stub.queries).toEqual([]);
  });

  it('refuses hosts that are neither names nor addresses', async () => {
    for (const host of ['1.2.3.999', 'a b', 'http://x', 'x'.repeat(300), '-x.example', '0x']) {
      expect((await denied(host)).error.code, host).toBe('target_denied');
    }
  });

  it('without allowAnyTarget only configured ids, whose addresses are trusted as configured', async () => {
    const config = loadConfig({
      servers: [
        { id: 'internal', host: 'pop.internal.test', security: 'tls' },
        { id: 'lit', host: '10.1.1.1', security: 'starttls' },
      ],
    });
    const stub = stubResolver({ 'pop.internal.test': ['10.9.9.9'] });
    expect(await resolveTarget({ server: 'internal' }, config, stub.resolver)).toMatchObject({
      serverId: 'internal',
      host: 'pop.internal.test',
      port: 995,
      addresses: ['10.9.9.9'],
    });
    expect(await resolveTarget({ server: 'lit' }, config, stub.resolver)).toMatchObject({
      port: 110,
      addresses: ['10.1.1.1'],
    });
    expect((await denied('93.184.216.34', {}, config)).error.code).toBe('target_denied');
    const unknown = await resolveTarget({ server: 'nope' }, config, stub.resolver).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'target_denied' });
  });

  it('with allowAnyTarget, an address or host a configured server names is allowed', async () => {
    const config = loadConfig({
      allowAnyTarget: true,
      servers: [
        { id: 'a', host: '10.1.1.1' },
        { id: 'b', host: 'pop.internal.test' },
      ],
    });
    const stub = stubResolver({ 'pop.internal.test': ['10.2.2.2'], 'other.test': ['10.1.1.1', '10.3.3.3'] });
    expect(
      (await resolveTarget({ host: '10.1.1.1', port: 110, security: 'none' }, config, stub.resolver))
        .addresses,
    ).toEqual(['10.1.1.1']);
    expect(
      (await resolveTarget({ host: 'pop.internal.test', port: 110, security: 'none' }, config, stub.resolver))
        .addresses,
    ).toEqual(['10.2.2.2']);
    // A different name that happens to resolve to the configured address may use that address only.
    expect(
      (await resolveTarget({ host: 'other.test', port: 110, security: 'none' }, config, stub.resolver))
        .addresses,
    ).toEqual(['10.1.1.1']);
    expect((await denied('10.1.1.2', {}, config)).error.code).toBe('address_denied');
  });

  it('a resolver failure is dns_failed (4502)', async () => {
    const { error } = await denied('nowhere.example.test');
    expect(error).toMatchObject({ code: 'dns_failed', closeCode: 4502 });
  });
});

describe('origin, client address, limits', () => {
  it('accepts only the allowed origins; never a missing one', () => {
    const own = ownOrigin('mail.example.org', 'https');
    expect(own).toBe('https://mail.example.org');
    const allowed = [own as string];
    expect(isOriginAllowed('https://mail.example.org', allowed)).toBe(true);
    expect(isOriginAllowed('https://MAIL.example.org:443', allowed)).toBe(true);
    expect(isOriginAllowed('http://mail.example.org', allowed)).toBe(false);
    expect(isOriginAllowed('https://evil.example', allowed)).toBe(false);
    expect(isOriginAllowed(undefined, allowed)).toBe(false);
    expect(isOriginAllowed('null', allowed)).toBe(false);
    expect(isOriginAllowed('https://app.example.org', ['https://app.example.org'])).toBe(true);
    expect(isOriginAllowed('https://mail.example.org', ['https://app.example.org'])).toBe(false);
  });

  it('the Host allowlist: listen address, localhost for loopback binds, interfaces for wildcard binds, origins', () => {
    expect(defaultHosts('127.0.0.1', null, {})).toEqual(['127.0.0.1', 'localhost', '[::1]']);
    expect(defaultHosts('::1', null, {})).toEqual(['[::1]', 'localhost', '127.0.0.1']);
    expect(defaultHosts('192.0.2.5', ['https://Mail.Example.org'], {})).toEqual([
      '192.0.2.5',
      'mail.example.org',
    ]);
    const interfaces = {
      eth0: [{ address: '192.0.2.5' }, { address: 'fe80::1' }],
    } as unknown as Parameters<typeof defaultHosts>[2];
    expect(defaultHosts('0.0.0.0', null, interfaces)).toEqual([
      '192.0.2.5',
      '[fe80::1]',
      'localhost',
      '127.0.0.1',
      '[::1]',
    ]);
    const hosts = new HostAllowlist(defaultHosts('127.0.0.1', null, {}));
    for (const ok of ['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST.', '[::1]:8080', '127.0.0.1']) {
      expect(hosts.allows(ok), ok).toBe(true);
    }
    for (const bad of [
      undefined,
      '',
      'rebind.example:8080',
      'localhost.rebind.example',
      '127.0.0.1.nip.io',
      'localhost@evil.example',
      'evil.example/localhost',
      '127.0.0.2',
    ]) {
      expect(hosts.allows(bad), String(bad)).toBe(false);
    }
    expect(hostName('2130706433:80')).toBe('127.0.0.1');
    // The default origins come from the configuration and the listening port, not from a request.
    expect(hosts.origins('http', 8080)).toEqual([
      'http://127.0.0.1:8080',
      'http://localhost:8080',
      'http://[::1]:8080',
    ]);
    expect(new HostAllowlist(['mail.example.org']).origins('https', 443)).toEqual([
      'https://mail.example.org',
    ]);
  });

  it('X-Forwarded-For entries as ip:port and [v6]:port count by address', () => {
    expect(forwardedAddress('203.0.113.9:51234')).toBe('203.0.113.9');
    expect(forwardedAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(forwardedAddress('[2001:DB8::1]')).toBe('2001:db8::1');
    expect(forwardedAddress('2001:db8::1')).toBe('2001:db8::1');
    expect(forwardedAddress('203.0.113.9')).toBe('203.0.113.9');
    for (const bad of [
      'unknown',
      '_hidden',
      '203.0.113.9:',
      '203.0.113.9:123456',
      '[2001:db8::1]:x',
      'a:b',
    ]) {
      expect(forwardedAddress(bad), bad).toBeUndefined();
    }
    const proxies = new TrustedProxies(['10.0.0.0/8']);
    expect(clientAddress('10.0.0.2', '198.51.100.1:1000, 203.0.113.9:4000', proxies)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '[2001:db8::7]:4000, 10.0.0.3:80', proxies)).toBe('2001:db8::7');
  });

  it('believes X-Forwarded-For and -Proto only from trusted proxies, reading from the right', () => {
    const trusted = new TrustedProxies(['10.0.0.0/8', '::1']);
    expect(clientAddress('203.0.113.9', '1.2.3.4', trusted)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '1.2.3.4', trusted)).toBe('1.2.3.4');
    expect(clientAddress('::ffff:10.0.0.2', 'spoofed, 1.2.3.4, 10.0.0.3', trusted)).toBe('1.2.3.4');
    expect(clientAddress('10.0.0.2', 'garbage', trusted)).toBe('10.0.0.2');
    expect(clientAddress('::1', ['5.6.7.8'], trusted)).toBe('5.6.7.8');
    expect(requestScheme('10.0.0.2', 'https', false, trusted)).toBe('https');
    expect(requestScheme('203.0.113.9', 'https', false, trusted)).toBe('http');
    expect(requestScheme('203.0.113.9', undefined, true, trusted)).toBe('https');
  });

  it('counts open connections in total and per client', () => {
    const limits = new ConnectionLimits(3, 2);
    expect(limits.tryAcquire('a')).toBe('ok');
    expect(limits.tryAcquire('a')).toBe('ok');
    expect(limits.tryAcquire('a')).toBe('per-client');
    expect(limits.tryAcquire('b')).toBe('ok');
    expect(limits.tryAcquire('c')).toBe('total');
    limits.release('a');
    expect(limits.tryAcquire('c')).toBe('ok');
    expect(limits.open).toBe(3);
  });

  it('refills the per-minute bucket evenly and forgets full buckets', () => {
    let now = 0;
    const rate = new NewConnectionRate(6, () => now);
    for (let i = 0; i < 6; i++) expect(rate.tryTake('a')).toBe(true);
    expect(rate.tryTake('a')).toBe(false);
    expect(rate.tryTake('b')).toBe(true);
    now += 10_000; // one token per 10 s
    expect(rate.tryTake('a')).toBe(true);
    expect(rate.tryTake('a')).toBe(false);
    now += 60_000;
    rate.sweep();
    expect(rate.tracked).toBe(0);
  });
});

describe('handshake guard', () => {
  /** Just enough of a socket: its peer address, destroy(), and the close event. */
  class PeerSocket extends EventEmitter {
    destroyed = false;
    constructor(readonly remoteAddress: string) {
      super();
    }
    destroy(): void {
      if (this.destroyed) return;
      this.destroyed = true;
      this.emit('close');
    }
  }
  const socket = (peer: string) => new PeerSocket(peer) as unknown as Socket & PeerSocket;

  it('caps unfinished handshakes per peer (trusted proxies exempt) and in total, and times them out', () => {
    vi.useFakeTimers();
    try {
      const guard = new HandshakeGuard(10, 2, 3, (peer) => peer === '10.0.0.1');
      const [a1, a2, a3] = [socket('203.0.113.1'), socket('203.0.113.1'), socket('203.0.113.1')];
      for (const s of [a1, a2, a3]) guard.admit(s);
      expect([a1.destroyed, a2.destroyed, a3.destroyed]).toEqual([false, false, true]);
      const [p1, p2] = [socket('10.0.0.1'), socket('10.0.0.1')];
      guard.admit(p1);
      // The total of 3 is reached: the one that waited longest (a1) makes room for the newcomer.
      guard.admit(p2);
      expect([a1.destroyed, a2.destroyed, p1.destroyed, p2.destroyed]).toEqual([true, false, false, false]);
      expect(guard.waiting).toBe(3);
      // A finished request frees its place and keeps its socket.
      guard.done(a2);
      const p3 = socket('10.0.0.1');
      guard.admit(p3);
      expect([a2.destroyed, p3.destroyed]).toEqual([false, false]);
      vi.advanceTimersByTime(10_000);
      expect([a2.destroyed, p1.destroyed, p2.destroyed, p3.destroyed]).toEqual([false, true, true, true]);
      expect(guard.waiting).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts IPv6 peers per /64, as the relay limits do', () => {
    vi.useFakeTimers();
    try {
      const guard = new HandshakeGuard(10, 5, 1000, () => false);
      const sameSlash64 = Array.from({ length: 30 }, (_, i) =>
        socket(`2001:db8:1:2::${(i + 1).toString(16)}`),
      );
      for (const s of sameSlash64) guard.admit(s);
      expect(sameSlash64.filter((s) => !s.destroyed)).toHaveLength(5);
      // Mapped IPv4 peers count as their IPv4 address; another /64 has its own allowance.
      const other = socket('2001:db8:1:3::1');
      const mapped = [socket('::ffff:192.0.2.1'), socket('192.0.2.1')];
      guard.admit(other);
      for (const s of mapped) guard.admit(s);
      expect([other.destroyed, ...mapped.map((s) => s.destroyed)]).toEqual([false, false, false]);
      expect(guard.waiting).toBe(8);
    } finally {
      vi.useRealTimers();
    }
  });
});
