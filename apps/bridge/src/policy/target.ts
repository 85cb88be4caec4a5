import { BridgeError } from '../errors.js';
import type { LoadedConfig, LoadedServer, LoadedSubmission } from '../config/load.js';
import type { Security } from '../config/schema.js';
import type { ConnectTarget, Service } from '@webpop/wire';
import type { ProxyProtocolVersion } from '../relay/proxy-protocol.js';
import {
  classifyAddress,
  formatIp,
  looksNumeric,
  normaliseIp,
  parseIpLiteral,
  unwrapMapped,
  type IpAddress,
} from './address.js';
import type { Resolver } from './resolver.js';

/** Where a relay goes: checked, resolved once, ready to connect to by address. */
export interface ResolvedTarget {
  /** The configured server's id, or null for a browser-named host (`allowAnyTarget`). */
  readonly serverId: string | null;
  /** The configured server's POP3 server, or the submission server beside it. */
  readonly service: Service;
  /** The name for SNI and the certificate check (the configured or requested host, never the address). */
  readonly host: string;
  readonly port: number;
  readonly security: Security;
  /** The addresses to try, in order; the relay connects to exactly these (no second lookup). */
  readonly addresses: readonly string[];
  readonly caPem?: string;
  readonly fingerprint256?: string;
  /** Configured servers only: the PROXY protocol header to open the connection with. */
  readonly proxyProtocol?: ProxyProtocolVersion;
}

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

/**
 * Applies the target policy to a connect frame: configured servers by id (for `submission`, the
 * submission server configured beside that POP3 server, and no other), or (only with `allowAnyTarget`)
 * a host on an allowed port of the service whose every used address is public, unless a configured
 * server names that exact host or address. DNS is asked once, here.
 */
export async function resolveTarget(
  target: ConnectTarget,
  config: LoadedConfig,
  resolver: Resolver,
): Promise<ResolvedTarget> {
  const service = target.service ?? 'pop3';
  if ('server' in target) {
    const server = config.servers.find((s) => s.id === target.server);
    if (!server)
      throw new BridgeError('target_denied', `the server "${clip(target.server)}" is not configured here`);
    const endpoint = service === 'submission' ? server.submission : server;
    if (!endpoint) {
      throw new BridgeError('target_denied', `the server "${server.id}" has no submission server here`);
    }
    // The operator named this server, so its addresses are trusted whatever they are.
    return {
      ...fromConfigured(server.id, service, endpoint),
      addresses: await addressesOf(endpoint.host, resolver),
    };
  }
  if (!config.allowAnyTarget) {
    throw new BridgeError('target_denied', 'this bridge only connects to its configured servers');
  }
  const ports = service === 'submission' ? config.anyTargetSubmissionPorts : config.anyTargetPorts;
  if (!ports.includes(target.port)) {
    throw new BridgeError(
      'target_denied',
      `port ${target.port} is not allowed${service === 'submission' ? ' for submission' : ''} (allowed: ${ports.join(', ')})`,
    );
  }
  const host = target.host.toLowerCase();
  const literal = parseIpLiteral(host);
  if (!literal && (looksNumeric(host) || !HOST_NAME.test(host))) {
    throw new BridgeError('target_denied', 'the host is neither a host name nor an IP address');
  }
  const hostForTls = literal ? formatIp(unwrapMapped(literal)) : host.replace(/\.$/, '');
  const resolved = await addressesOf(host, resolver);
  const named = namedByConfig(config.servers);
  if (named.hosts.has(hostForTls)) {
    return {
      serverId: null,
      service,
      host: hostForTls,
      port: target.port,
      security: target.security,
      addresses: resolved,
    };
  }
  const allowed: string[] = [];
  const refused = new Set<string>();
  for (const address of resolved) {
    const ip = parseIpLiteral(address) as IpAddress;
    const category = classifyAddress(ip);
    if (category === 'public' || named.addresses.has(address)) allowed.push(address);
    else refused.add(category);
  }
  if (allowed.length === 0) {
    throw new BridgeError(
      'address_denied',
      `${clip(hostForTls)} is a ${[...refused].join(' / ')} address, which this bridge does not connect to`,
    );
  }
  return {
    serverId: null,
    service,
    host: hostForTls,
    port: target.port,
    security: target.security,
    addresses: allowed,
  };
}

function fromConfigured(
  serverId: string,
  service: Service,
  endpoint: LoadedServer | LoadedSubmission,
): Omit<ResolvedTarget, 'addresses'> {
  const literal = parseIpLiteral(endpoint.host);
  return {
    serverId,
    service,
    host: literal ? formatIp(unwrapMapped(literal)) : endpoint.host,
    port: endpoint.port,
    security: endpoint.security,
    ...(endpoint.caPem !== undefined ? { caPem: endpoint.caPem } : {}),
    ...(endpoint.fingerprint256 !== undefined ? { fingerprint256: endpoint.fingerprint256 } : {}),
    ...('proxyProtocol' in endpoint && endpoint.proxyProtocol !== undefined
      ? { proxyProtocol: endpoint.proxyProtocol }
      : {}),
  };
}

/** An IP literal is its own (canonical) address; a name is resolved once. */
async function addressesOf(host: string, resolver: Resolver): Promise<string[]> {
  const literal = parseIpLiteral(host);
  if (literal) return [formatIp(unwrapMapped(literal))];
  let addresses: string[];
  try {
    addresses = await resolver(host.replace(/\.$/, ''));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new BridgeError('dns_failed', `cannot resolve ${clip(host)} (${code})`, { cause: error });
  }
  const canonical = addresses.map(normaliseIp).filter((a): a is string => a !== undefined);
  if (canonical.length === 0) throw new BridgeError('dns_failed', `${clip(host)} has no address`);
  return [...new Set(canonical)];
}

function namedByConfig(servers: readonly LoadedServer[]): { hosts: Set<string>; addresses: Set<string> } {
  const hosts = new Set<string>();
  const addresses = new Set<string>();
  for (const { host } of servers.flatMap((server) => [
    server,
    ...(server.submission ? [server.submission] : []),
  ])) {
    const address = normaliseIp(host);
    if (address) addresses.add(address);
    hosts.add(address ?? host.replace(/\.$/, ''));
  }
  return { hosts, addresses };
}

/** Browser-supplied text quoted in a message: bounded, printable. */
function clip(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 80 ? `${printable.slice(0, 80)}…` : printable;
}
