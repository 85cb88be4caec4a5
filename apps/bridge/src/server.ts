import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isLoadedConfig, loadConfig, type LoadedConfig } from './config/load.js';
import { ServerReachability } from './http/readiness.js';
import { routeRequest, type RouteState } from './http/router.js';
import { reloadPlan, type ReloadResult } from './config/reload.js';
import { pathInside } from './http/base-path.js';
import { stdoutSink, writeLog, type LogSink } from './log.js';
import { BridgeMetrics, type MetricsSnapshot } from './metrics.js';
import { ProcessMetrics } from './process-metrics.js';
import { clientKey, normaliseIp } from './policy/address.js';
import { AddressRanges, clientAddress, requestScheme, TrustedProxies } from './policy/client-ip.js';
import { HandshakeGuard } from './policy/handshake.js';
import { ConnectionLimits } from './policy/limits.js';
import { defaultHosts, HostAllowlist } from './policy/host.js';
import { hostDeniedDetails, isOriginAllowed, originDeniedDetails, ownOrigin } from './policy/origin.js';
import { refuseUpgrade, type UpgradeRefusal } from './http/refuse-upgrade.js';
import { NewConnectionRate } from './policy/rate.js';
import { systemResolver, type Resolver } from './policy/resolver.js';
import { RelaySession, type SessionContext } from './relay/session.js';
import type { ConnectionEnds } from './relay/upstream.js';

/**
 * The browser's end and ours, for a PROXY protocol header. X-Forwarded-For carries no port, so behind a
 * proxy the source port is the proxy's connection's (a real port, where 0 would be refused by Dovecot).
 */
function connectionEnds(socket: Socket, client: string): ConnectionEnds {
  return {
    client: { address: client, port: socket.remotePort ?? 0 },
    local: { address: socket.localAddress ?? '0.0.0.0', port: socket.localPort ?? 0 },
  };
}

/** The relay's path; every other path is the web app, the API or operations. */
export const RELAY_PATH = '/pop3';

export interface BridgeOptions {
  /** DNS for browser-named and configured hosts; tests pass a stub. */
  readonly resolver?: Resolver;
  /** Where the JSON log lines go (default: stdout). */
  readonly log?: LogSink;
  /** Relative paths in a configuration object are taken from here (default: the working directory). */
  readonly baseDir?: string;
}

export interface RunningBridge {
  /** `http://host:port` (or https with `tls`). */
  readonly url: string;
  /** The relay endpoint, `ws://host:port/pop3` (or wss). */
  readonly relayUrl: string;
  readonly host: string;
  readonly port: number;
  /** The configuration running now (replaced by reload). */
  readonly config: LoadedConfig;
  metrics(): MetricsSnapshot;
  /** Open relays. */
  readonly openSessions: number;
  /**
   * Refuses new WebSocket sessions (503; the health endpoints answer 503 at once, new sessions after
   * `delaySeconds`, default: `drainDelaySeconds`), lets open relays end by themselves for up to
   * `deadlineSeconds` (default: the configuration's `shutdownSeconds`), then closes the rest with 1001.
   */
  shutdown(deadlineSeconds?: number, delaySeconds?: number): Promise<void>;
  /**
   * Applies a new configuration to new sessions (servers, CAs and pins, origins, trusted proxies,
   * limits, static files, the certificate); open sessions go on as they are. What only a restart can
   * change (the listen address, plain/TLS, maxFrameBytes, the handshake limits) keeps its running value
   * and is named in the result.
   */
  reload(config: LoadedConfig): ReloadResult;
  /** Shutdown with no grace period. */
  close(): Promise<void>;
}

/**
 * Starts the bridge: the relay at `/pop3`, `/healthz`, `/metrics`, `/api/servers` and the web app.
 * `config` is a configuration object as in the JSON file (validated here) or an already loaded one.
 */
export async function startBridge(
  config: LoadedConfig | Record<string, unknown>,
  options: BridgeOptions = {},
): Promise<RunningBridge> {
  // Replaced by reload(); sessions keep the configuration they started with.
  let loaded = isLoadedConfig(config) ? config : loadConfig(config, options.baseDir);
  const log = options.log ?? stdoutSink;
  const resolver = options.resolver ?? systemResolver;
  const metrics = new BridgeMetrics();
  const processMetrics = new ProcessMetrics();
  let trusted = new TrustedProxies(loaded.trustedProxies);
  let hosts = new HostAllowlist(loaded.hosts ?? defaultHosts(loaded.listen.host, loaded.origins));
  let metricsReaders = new AddressRanges(loaded.metrics.allow);
  // Set once listening (the port may be 0 in the configuration).
  let directOrigins: readonly string[] = [];
  const limits = new ConnectionLimits(loaded.limits.connections, loaded.limits.connectionsPerIp);
  const rate = new NewConnectionRate(loaded.limits.connectionsPerIpPerMinute);
  const handshakes = new HandshakeGuard(
    loaded.limits.handshakeSeconds,
    loaded.limits.handshakesPerIp,
    loaded.limits.connections,
    (peer) => trusted.has(peer),
  );
  const clientOf = (req: http.IncomingMessage) => {
    const peer = req.socket.remoteAddress ?? 'unknown';
    return { peer, client: clientAddress(peer, req.headers['x-forwarded-for'], trusted) };
  };
  /** The allowed origins: configured, else the allowed hosts at the bridge's scheme and port (or, through a trusted proxy, the forwarded ones). */
  const allowedOrigins = (req: http.IncomingMessage, peer: string): readonly string[] => {
    if (loaded.origins !== null) return loaded.origins;
    if (!trusted.has(peer)) return directOrigins;
    const proxied = ownOrigin(
      req.headers.host,
      requestScheme(peer, req.headers['x-forwarded-proto'], encrypted, trusted),
    );
    return proxied === undefined ? [] : [proxied];
  };
  const sweep = setInterval(() => rate.sweep(), 60_000).unref();
  const sessions = new Set<RelaySession>();
  let context: SessionContext = { config: loaded, resolver, metrics, log };
  const readiness = new ServerReachability(resolver);
  const encrypted = loaded.tls !== null;
  let draining = false;
  // Set after drainDelaySeconds of draining: from then on new WebSocket sessions get 503.
  let refusing = false;
  const snapshot = (): MetricsSnapshot => {
    const buffered = { toClient: 0, toServer: 0 };
    for (const session of sessions) {
      const mine = session.buffered();
      buffered.toClient += mine.toClient;
      buffered.toServer += mine.toServer;
    }
    return metrics.snapshot(buffered);
  };

  const routeState: RouteState = {
    get config() {
      return loaded;
    },
    encrypted,
    get draining() {
      return draining;
    },
    get hosts() {
      return hosts;
    },
    reachability: readiness,
    mayReadMetrics: (req) => metricsReaders.has(clientOf(req).client),
    metrics: snapshot,
    processSamples: () => processMetrics.samples(),
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const socket = req.socket;
    handshakes.done(socket);
    // A kept-alive connection must send its next request in time, too.
    res.once('finish', () => handshakes.admit(socket));
    routeRequest(req, res, routeState);
  };

  const handshakeMs = loaded.limits.handshakeSeconds * 1000;
  const server = encrypted
    ? https.createServer(
        { cert: loaded.tls?.certPem, key: loaded.tls?.keyPem, handshakeTimeout: handshakeMs },
        onRequest,
      )
    : http.createServer(onRequest);
  // Headers must arrive promptly; the relay itself is bounded by the session's own timeouts.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  // Every connection gets handshakeSeconds for its request (with TLS: after the TLS handshake, which
  // handshakeTimeout bounds).
  server.on(encrypted ? 'secureConnection' : 'connection', (socket: Socket) => handshakes.admit(socket));

  const wss = new WebSocketServer({
    noServer: true,
    // Browser frames are POP3 command lines and small control frames; ws's default is 100 MiB.
    maxPayload: loaded.limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    handshakes.done(req.socket);
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (pathInside(path, loaded.basePath) !== RELAY_PATH || refusing) {
      socket.end(
        `HTTP/1.1 ${refusing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    const { peer, client } = clientOf(req);
    const key = clientKey(client);
    metrics.connectionsTotal++;
    const refusal = upgradeRefusal(req, peer, key);
    if (refusal) {
      if (refusal.code) metrics.errors[refusal.code]++;
      writeLog(log, {
        event: 'refused',
        clientIp: client,
        status: refusal.status,
        reason: refusal.code ?? 'unknown_host',
        ...refusal.logDetails,
      });
      refuseUpgrade(socket, refusal);
      return;
    }
    // The slot is taken; it is the session's to release once the WebSocket exists, else released here.
    let upgraded = false;
    socket.once('close', () => {
      if (!upgraded) release(key);
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      admit(ws, client, key, connectionEnds(req.socket as Socket, client));
    });
  });

  const release = (key: string): void => {
    limits.release(key);
    metrics.connectionsOpen = limits.open;
  };

  /** Whatever the request alone says is refused: before the upgrade, with an HTTP status; else it takes a slot. */
  const upgradeRefusal = (
    req: http.IncomingMessage,
    peer: string,
    key: string,
  ): UpgradeRefusal | undefined => {
    const fromTrustedProxy = trusted.has(normaliseIp(peer) ?? peer);
    if (!hosts.allows(req.headers.host)) {
      return {
        status: 421,
        code: null,
        message: 'this bridge does not serve that host name',
        logDetails: hostDeniedDetails(req, hosts.hosts, fromTrustedProxy),
      };
    }
    const expected = allowedOrigins(req, peer);
    if (!isOriginAllowed(req.headers.origin, expected)) {
      const message =
        req.headers.origin === undefined ? 'the request has no Origin' : 'this origin may not use the bridge';
      const logDetails = originDeniedDetails(req, expected, loaded.origins !== null, fromTrustedProxy);
      return { status: 403, code: 'origin_denied', message, logDetails };
    }
    if (!rate.tryTake(key)) {
      return {
        status: 429,
        code: 'limit_reached',
        message: 'too many new connections from your address; wait a minute',
      };
    }
    const slot = limits.tryAcquire(key);
    if (slot === 'total')
      return { status: 503, code: 'limit_reached', message: 'the bridge is at its connection limit' };
    if (slot === 'per-client')
      return { status: 429, code: 'limit_reached', message: 'too many open connections from your address' };
    metrics.connectionsOpen = limits.open;
    return undefined;
  };

  /** Every WebSocket becomes a session, counted in the limits (so every one is logged and bounded). */
  const admit = (ws: WebSocket, client: string, key: string, ends: ConnectionEnds): void => {
    const session = new RelaySession(
      ws,
      client,
      context,
      () => {
        sessions.delete(session);
        release(key);
        if (draining && sessions.size === 0) drained?.();
      },
      ends,
    );
    sessions.add(session);
    session.start();
  };

  let drained: (() => void) | undefined;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(loaded.listen.port, loaded.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  directOrigins = hosts.origins(encrypted ? 'https' : 'http', address.port);
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${encrypted ? 'https' : 'http'}://${hostForUrl}:${address.port}`;
  writeLog(log, {
    event: 'listening',
    url,
    staticDir: loaded.staticDir,
    servers: loaded.servers.map((s) => s.id),
  });

  const reload = (next: LoadedConfig): ReloadResult => {
    const result = reloadPlan(loaded, next);
    // Keys that only a restart can change keep their running values.
    loaded = { ...next, ...result.kept(loaded) };
    trusted = new TrustedProxies(loaded.trustedProxies);
    hosts = new HostAllowlist(loaded.hosts ?? defaultHosts(loaded.listen.host, loaded.origins));
    directOrigins = hosts.origins(encrypted ? 'https' : 'http', address.port);
    metricsReaders = new AddressRanges(loaded.metrics.allow);
    limits.setMaxima(loaded.limits.connections, loaded.limits.connectionsPerIp);
    rate.setPerMinute(loaded.limits.connectionsPerIpPerMinute);
    context = { config: loaded, resolver, metrics, log };
    if (encrypted && loaded.tls) {
      (server as https.Server).setSecureContext({ cert: loaded.tls.certPem, key: loaded.tls.keyPem });
    }
    readiness.forget();
    writeLog(log, {
      event: 'reloaded',
      servers: loaded.servers.map((s) => s.id),
      restartNeededFor: result.restartNeededFor,
    });
    return result;
  };

  let stopping: Promise<void> | undefined;
  const shutdown = (
    deadlineSeconds = loaded.shutdownSeconds,
    delaySeconds = loaded.drainDelaySeconds,
  ): Promise<void> => {
    stopping ??= (async () => {
      draining = true;
      metrics.draining = true;
      writeLog(log, { event: 'draining', open: sessions.size, deadlineSeconds });
      if (delaySeconds > 0) await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
      refusing = true;
      // The listener stays for /healthz, /livez and /readyz (503 and Connection: close while
      // draining); new WebSocket sessions are refused with 503.
      server.closeIdleConnections();
      if (sessions.size > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, deadlineSeconds * 1000).unref();
        });
      }
      const late = sessions.size;
      for (const session of sessions) session.goAway();
      // Give the 1001 close handshakes a moment, then cut whatever is left.
      if (sessions.size > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, 2000).unref();
        });
      }
      for (const session of sessions) session.terminate();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      clearInterval(sweep);
      processMetrics.stop();
      writeLog(log, { event: 'stopped', closedOnDeadline: late });
    })();
    return stopping;
  };

  return {
    url,
    relayUrl: `${encrypted ? 'wss' : 'ws'}://${hostForUrl}:${address.port}${loaded.basePath.slice(0, -1)}${RELAY_PATH}`,
    host: address.address,
    port: address.port,
    get config() {
      return loaded;
    },
    metrics: snapshot,
    reload,
    get openSessions() {
      return sessions.size;
    },
    shutdown,
    close: () => shutdown(0, 0),
  };
}
