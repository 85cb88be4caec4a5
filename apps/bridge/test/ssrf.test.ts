// SSRF: every address form the bridge must refuse on a browser's say-so, through the address policy
// itself with a stub resolver (nothing here connects outside loopback), and DNS rebinding: a name whose
// answer changes between lookups is resolved once, and the relay goes to that first answer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPop3Server, type RunningPop3Server } from '@webpop/testkit';
import { loadConfig } from '../src/config/load.js';
import { BridgeError } from '../src/errors.js';
import { resolveTarget } from '../src/policy/target.js';
import type { Resolver } from '../src/policy/resolver.js';
import { RelayClient } from './support/relay-client.js';
import { startTestBridge, stopAll, stubResolver } from './support/bridge.js';

const anyTarget = loadConfig({ allowAnyTarget: true });
const connect = (host: string) => ({ host, port: 995, security: 'tls' as const });

async function refusal(host: string, resolver: Resolver) {
  const error = await resolveTarget(connect(host), anyTarget, resolver).catch((e: unknown) => e);
  expect(error, host).toBeInstanceOf(BridgeError);
  return error as BridgeError;
}

/** The forms the issue lists, and the edges of each range, with the category the policy gives. */
const refused: Array<[string, string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['2130706433', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['[::ffff:127.0.0.1]', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['10.0.0.0', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.0', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.0.0', 'private'],
  ['192.168.255.255', 'private'],
  ['100.64.0.0', 'shared (CGNAT)'],
  ['100.127.255.255', 'shared (CGNAT)'],
  ['fc00::', 'private'],
  ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'],
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:172.20.0.1', 'private'],
  ['::ffff:192.168.1.1', 'private'],
  ['::ffff:100.64.0.1', 'shared (CGNAT)'],
  ['::ffff:169.254.169.254', 'link-local'],
];

/** Just outside each range: public, so allowed. */
const publicEdges = [
  '9.255.255.255',
  '11.0.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.167.255.255',
  '192.169.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '169.253.255.255',
  '::ffff:8.8.8.8',
  '2001:4860:4860::8888',
];

describe('SSRF: the address policy (stub resolver, no connection)', () => {
  it.each(refused)('%s as the host is refused as %s, without asking DNS', async (host, category) => {
    const stub = stubResolver({});
    const error = await refusal(host, stub.resolver);
    expect(error).toMatchObject({ code: 'address_denied', closeCode: 4003 });
    expect(error.message).toContain(category);
    expect(stub.queries).toEqual([]);
  });

  it.each(refused.filter(([host]) => !host.startsWith('[') && !/^\d+$|^0x/.test(host)))(
    'a DNS name resolving to %s is refused as %s',
    async (address, category) => {
      const stub = stubResolver({ 'pop.attacker.test': [address] });
      const error = await refusal('pop.attacker.test', stub.resolver);
      expect(error).toMatchObject({ code: 'address_denied', closeCode: 4003 });
      expect(error.message).toContain(category);
      expect(stub.queries).toEqual(['pop.attacker.test']);
    },
  );

  it('a name resolving to every refused address at once is refused', async () => {
    const stub = stubResolver({ 'pop.attacker.test': refused.map(([address]) => address) });
    expect((await refusal('pop.attacker.test', stub.resolver)).code).toBe('address_denied');
  });

  it.each(publicEdges)('%s, just outside the ranges, is allowed', async (host) => {
    const target = await resolveTarget(connect(host), anyTarget, stubResolver({}).resolver);
    expect(target.addresses).toHaveLength(1);
  });

  it('a name whose answer changes between lookups is asked once; the answer checked is the one used', async () => {
    const rebinding = (answers: string[][]) => {
      const queries: string[] = [];
      const resolver: Resolver = async (host) => {
        queries.push(host);
        return answers[Math.min(queries.length - 1, answers.length - 1)]!;
      };
      return { resolver, queries };
    };
    // Public first, loopback afterwards: the public address is what the relay will connect to.
    const publicFirst = rebinding([['93.184.216.34'], ['127.0.0.1']]);
    const target = await resolveTarget(connect('rebind.attacker.test'), anyTarget, publicFirst.resolver);
    expect(target.addresses).toEqual(['93.184.216.34']);
    expect(publicFirst.queries).toEqual(['rebind.attacker.test']);
    // Loopback first: refused, with no second look to find a better answer.
    const loopbackFirst = rebinding([['127.0.0.1'], ['93.184.216.34']]);
    expect((await refusal('rebind.attacker.test', loopbackFirst.resolver)).code).toBe('address_denied');
    expect(loopbackFirst.queries).toEqual(['rebind.attacker.test']);
  });
});

describe('SSRF: DNS rebinding through a live relay (loopback only)', () => {
  let first: RunningPop3Server;
  let second: RunningPop3Server;

  beforeAll(async () => {
    const account = { username: 'alice', password: 'rebind-password', messages: [] };
    first = await startPop3Server({ host: '127.0.0.1', accounts: [account] });
    second = await startPop3Server({ host: '127.0.0.2', port: first.port, accounts: [account] });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  afterEach(stopAll);

  it('the relay connects to the first answer even though a second lookup would give another', async () => {
    const queries: string[] = [];
    const resolver: Resolver = async (host) => {
      queries.push(host);
      return queries.length === 1 ? ['127.0.0.1'] : ['127.0.0.2'];
    };
    // Both loopback servers listen on the port the browser names; 127.0.0.1 is named by the
    // configuration (so allowed); 127.0.0.2, the second answer, is never reached.
    const bridge = await startTestBridge(
      {
        allowAnyTarget: true,
        anyTargetPorts: [first.port],
        servers: [{ id: 'lab', host: '127.0.0.1', port: first.port, security: 'none' }],
      },
      { resolver },
    );
    const { client } = await RelayClient.connect(bridge.relayUrl, {
      host: 'rebind.attacker.test',
      port: first.port,
      security: 'none',
    });
    expect(await client.line()).toMatch(/^\+OK/);
    client.command('USER alice');
    expect(await client.line()).toMatch(/^\+OK/);
    client.close();
    await bridge.sessionLog();
    expect(queries).toEqual(['rebind.attacker.test']);
    expect(first.commandLog.map((c) => c.command)).toContain('USER alice');
    expect(second.port).toBe(first.port);
    expect(second.connectionCount).toBe(0);
  });
});
