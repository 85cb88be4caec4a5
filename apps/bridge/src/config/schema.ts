import type { OAuthProvider, Security } from '@webpop/wire';
import type { ProxyProtocolVersion } from '../relay/proxy-protocol.js';
import { defaultConfig } from './defaults.js';
import {
  basePath,
  branding,
  hosts,
  limits,
  ports,
  listen,
  metricsAccess,
  origins,
  proxy,
  readiness,
  session,
  tlsFiles,
} from './keys.js';
import { fail, integer, nonEmptyString, object, only, optionalArray, optionalBoolean } from './readers.js';
import { server } from './server-key.js';

export type { Security };
export { ConfigError } from './readers.js';
export {
  BRANDING_LOGO_MAX_BYTES,
  BRANDING_TEXT_MAX_LENGTH,
  defaultConfig,
  defaultLimits,
} from './defaults.js';

/** A mail server the browser may ask for by id. */
export interface ServerConfig {
  readonly id: string;
  /** Shown in the web app's server picker. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly security: Security;
  /** A PEM file of extra CA certificates trusted for this server, besides Node's bundled roots. */
  readonly ca?: string;
  /** The SHA-256 fingerprint of the server's certificate (`AB:CD:…`): pinned, so a self-signed one is fine. */
  readonly fingerprint256?: string;
  /**
   * Open each connection with a PROXY protocol header (HAProxy's, version 1 text or 2 binary) naming
   * the browser's address, so the mail server logs and rate-limits the real client.
   */
  readonly proxyProtocol?: ProxyProtocolVersion;
  /**
   * The mail submission server (RFC 6409) beside this POP3 server, for sending: a browser that asks
   * for this server's id with `service: "submission"` is relayed here, and only here.
   */
  readonly submission?: SubmissionConfig;
  /** Sign-in with OAuth 2.0 for this server (its POP3 server takes OAUTHBEARER or XOAUTH2 tokens). */
  readonly oauth?: OAuthConfig;
  /**
   * The domain of this server's mail addresses, for users who sign in with a bare user name: the web
   * app's default sender address is `<username>@<mailDomain>` (a username that is an address is used
   * as it is). Sent with `/api/servers`; lower-case ASCII (an IDN in its `xn--` form).
   */
  readonly mailDomain?: string;
}

/** A public OAuth 2.0 client for the web app's sign-in: the one shape `/api/servers` sends. */
export type OAuthConfig = OAuthProvider;

/** A configured server's submission server, under the same policy as its POP3 server. */
export interface SubmissionConfig {
  /** Default: the POP3 server's host. */
  readonly host: string;
  /** Default: 465 for `tls`, else 587. */
  readonly port: number;
  /** `starttls` (port 587, the default), `tls` (465) or `none`. */
  readonly security: Security;
  /** As the server's own: a PEM file of extra CAs, or a pinned fingerprint (neither is inherited). */
  readonly ca?: string;
  readonly fingerprint256?: string;
}

export interface LimitsConfig {
  /** Open relays in total. */
  readonly connections: number;
  /** Open relays per client address (IPv6: per /64). */
  readonly connectionsPerIp: number;
  /** New relays per client address per minute. */
  readonly connectionsPerIpPerMinute: number;
  /** No byte either way for this long ends the relay (`timeout`). */
  readonly idleSeconds: number;
  /** No relay lasts longer than this (`timeout`). */
  readonly sessionSeconds: number;
  /** From the WebSocket's opening to `connected` (DNS, TCP and TLS), and for a STLS handshake. */
  readonly connectSeconds: number;
  /** Bytes the bridge buffers towards a slow browser before it stops reading from the mail server. */
  readonly bufferBytes: number;
  /** Largest WebSocket message accepted from the browser (ws `maxPayload`). */
  readonly maxFrameBytes: number;
  /** From a TCP connection's opening to its complete HTTP request (a WebSocket upgrade or a page). */
  readonly handshakeSeconds: number;
  /** TCP connections per peer address that have not yet sent a complete HTTP request. */
  readonly handshakesPerIp: number;
}

/** How the web app presents itself; null: its own default. */
export interface BrandingConfig {
  /** The browser tab's title. */
  readonly title: string | null;
  /** The name in the app's header. */
  readonly productName: string | null;
  /** An SVG, PNG, JPEG or WebP file shown beside the name (at most BRANDING_LOGO_MAX_BYTES). */
  readonly logo: string | null;
  /** `#rrggbb`: buttons, links and focus rings. */
  readonly accentColor: string | null;
  /** One line of text on the sign-in page (who runs it, whom to ask). */
  readonly signInText: string | null;
}

/** The configuration file, validated, with every default filled in. Paths are as written. */
export interface BridgeConfig {
  readonly listen: { readonly host: string; readonly port: number };
  /** Allowed `Origin` values; null: each allowed host at the bridge's own scheme and port. */
  readonly origins: readonly string[] | null;
  /** Host names the bridge answers for (the `Host` header); null: see defaultHosts(). */
  readonly hosts: readonly string[] | null;
  /** Client addresses or CIDR ranges that may read `/metrics` (the public listener refuses the rest). */
  readonly metrics: { readonly allow: readonly string[] };
  readonly servers: readonly ServerConfig[];
  readonly allowAnyTarget: boolean;
  /** With `allowAnyTarget`: the ports a browser may name. */
  readonly anyTargetPorts: readonly number[];
  /** With `allowAnyTarget`: the ports a browser may name for a submission server. */
  readonly anyTargetSubmissionPorts: readonly number[];
  readonly limits: LimitsConfig;
  /** Certificate and key (PEM files) to serve https/wss directly; null: plain http/ws (behind a proxy). */
  readonly tls: { readonly cert: string; readonly key: string } | null;
  /** The built web app; null: apps/web/dist of this repository. */
  readonly staticDir: string | null;
  /** Addresses or CIDR ranges whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed. */
  readonly trustedProxies: readonly string[];
  /** After SIGTERM, how long open relays may go on before they are closed with 1001. */
  readonly shutdownSeconds: number;
  /**
   * After SIGTERM, how long new sessions are still accepted while /readyz and /healthz already answer
   * 503, so a proxy's health checks take the bridge out before it refuses anyone (a rolling restart
   * behind a proxy that does not retry a 503 elsewhere, such as Caddy). 0: refuse at once.
   */
  readonly drainDelaySeconds: number;
  /** What /readyz checks besides draining. */
  readonly readiness: { readonly requireReachableServer: boolean };
  /**
   * The path prefix the bridge serves under (`/webmail/`) when a proxy passes it on unchanged; `/` when
   * it serves at the root or the proxy strips the prefix. Health endpoints and /metrics answer at the
   * root too.
   */
  readonly basePath: string;
  readonly branding: BrandingConfig;
  /** How the web app ends sessions (sent with `/api/servers`; the app enforces it, in the page). */
  readonly session: SessionConfig;
}

export interface SessionConfig {
  /** Minutes without user activity after which the app forgets the password and locks; 0: never. */
  readonly idleMinutes: number;
  /** Whether "This is a shared computer" is ticked on the sign-in page at first. */
  readonly sharedComputerDefault: boolean;
  /**
   * Whether the sign-in page offers "Remember the password in this browser" (the browser's own
   * password store through the Credential Management API; never the app's storage). Off by default.
   */
  readonly rememberPasswords: boolean;
}

/** Validates a parsed configuration file (every key optional; unknown keys are errors). */
export function validateConfig(input: unknown): BridgeConfig {
  const root = object(input, 'config');
  only(root, '', [
    'listen',
    'origins',
    'hosts',
    'metrics',
    'servers',
    'allowAnyTarget',
    'anyTargetPorts',
    'anyTargetSubmissionPorts',
    'limits',
    'tls',
    'staticDir',
    'trustedProxies',
    'shutdownSeconds',
    'drainDelaySeconds',
    'readiness',
    'basePath',
    'branding',
    'session',
  ]);
  const servers = optionalArray(root.servers, 'servers').map((value, i) => server(value, `servers[${i}]`));
  const ids = new Set<string>();
  servers.forEach((s, i) => {
    if (ids.has(s.id)) fail(`servers[${i}].id`, `"${s.id}" is used twice`);
    ids.add(s.id);
  });
  return {
    listen: listen(root.listen),
    origins: root.origins === undefined ? null : origins(root.origins),
    hosts: root.hosts === undefined ? null : hosts(root.hosts),
    metrics: metricsAccess(root.metrics),
    servers,
    allowAnyTarget: optionalBoolean(root.allowAnyTarget, 'allowAnyTarget', defaultConfig.allowAnyTarget),
    anyTargetPorts: ports(root.anyTargetPorts, 'anyTargetPorts'),
    anyTargetSubmissionPorts: ports(root.anyTargetSubmissionPorts, 'anyTargetSubmissionPorts'),
    limits: limits(root.limits),
    tls: root.tls === undefined || root.tls === null ? null : tlsFiles(root.tls),
    staticDir: root.staticDir === undefined ? null : nonEmptyString(root.staticDir, 'staticDir'),
    trustedProxies: optionalArray(root.trustedProxies, 'trustedProxies').map((value, i) =>
      proxy(value, `trustedProxies[${i}]`),
    ),
    shutdownSeconds:
      root.shutdownSeconds === undefined
        ? defaultConfig.shutdownSeconds
        : integer(root.shutdownSeconds, 'shutdownSeconds', 0, 86_400),
    drainDelaySeconds:
      root.drainDelaySeconds === undefined
        ? defaultConfig.drainDelaySeconds
        : integer(root.drainDelaySeconds, 'drainDelaySeconds', 0, 300),
    readiness: readiness(root.readiness),
    basePath: root.basePath === undefined ? defaultConfig.basePath : basePath(root.basePath),
    branding: branding(root.branding),
    session: session(root.session),
  };
}
