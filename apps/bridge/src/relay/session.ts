import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import {
  connectedFrame,
  errorFrame,
  GOING_AWAY,
  MAX_CONTROL_FRAME_BYTES,
  NORMAL_CLOSE,
  parseClientFrame,
  tlsFrame,
  type ConnectTarget,
  type Service,
} from '@webpop/wire';
import type { RawData, WebSocket } from 'ws';
import { BridgeError } from '../errors.js';
import type { LoadedConfig } from '../config/load.js';
import { writeLog, type LogSink, type SessionLogRecord } from '../log.js';
import type { BridgeMetrics } from '../metrics.js';
import { resolveTarget, type ResolvedTarget } from '../policy/target.js';
import type { Resolver } from '../policy/resolver.js';
import { FlowControl } from './backpressure.js';
import { upgradeToTls } from './starttls.js';
import { startTls } from './tls.js';
import { connectUpstream, type ConnectionEnds } from './upstream.js';

export interface SessionContext {
  readonly config: LoadedConfig;
  readonly resolver: Resolver;
  readonly metrics: BridgeMetrics;
  readonly log: LogSink;
}

/**
 * `awaiting-connect`: the WebSocket is open, no connect frame yet; `connecting`: policy, DNS, TCP, TLS;
 * `connected`: relaying; `upgrading`: STLS handshake in progress; `ended`: closing or closed.
 */
type State = 'awaiting-connect' | 'connecting' | 'connected' | 'upgrading' | 'ended';

/**
 * After the bridge sends a close frame because it refuses or ends a relay, how long the browser has to
 * answer it before the socket is cut (ws would wait 30 s, holding the slot and a descriptor).
 */
export const CLOSE_GRACE_MS = 2000;

/** How long a half-closed mail server connection may take to flush the browser's last bytes (QUIT). */
const UPSTREAM_LINGER_MS = 10_000;

/** One WebSocket relayed to one TCP (or TLS) connection to a mail server. */
export class RelaySession {
  readonly id = randomBytes(6).toString('hex');
  private state: State = 'awaiting-connect';
  private upstream: net.Socket | undefined;
  private target: ResolvedTarget | undefined;
  private targetName: string | null = null;
  private service: Service | null = null;
  private starttlsRequested = false;
  private bytesToServer = 0;
  private bytesToClient = 0;
  /** Extra fields for the session's log line (why a refusal happened; never payload). */
  private logDetails: Readonly<Record<string, unknown>> | undefined;
  private ending: Pick<SessionLogRecord, 'closeCode' | 'reason' | 'closedBy'> | undefined;
  private readonly startedAt = Date.now();
  private readonly flow: FlowControl;
  private readonly abort = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private stageTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly clientIp: string,
    private readonly ctx: SessionContext,
    private readonly onEnded: (session: RelaySession) => void,
    /** For a PROXY protocol header: the browser's address and port, and the bridge's it connected to. */
    private readonly ends: ConnectionEnds,
  ) {
    this.flow = new FlowControl(ws, ctx.config.limits.bufferBytes);
    ws.on('message', this.onMessage);
    ws.on('close', this.onClose);
    ws.on('error', this.onWsError);
  }

  /** Starts the timeouts and reading the browser's frames. */
  start(): void {
    const limits = this.ctx.config.limits;
    this.stageTimer = this.timer(limits.connectSeconds, () =>
      this.fail(
        new BridgeError(
          'timeout',
          this.state === 'awaiting-connect'
            ? `no connect frame within ${limits.connectSeconds} s`
            : `no connection to the mail server within ${limits.connectSeconds} s`,
        ),
      ),
    );
    this.idleTimer = this.timer(limits.idleSeconds, () =>
      this.fail(new BridgeError('timeout', `nothing was sent either way for ${limits.idleSeconds} s`)),
    );
    this.timer(limits.sessionSeconds, () =>
      this.fail(new BridgeError('timeout', `the session reached its limit of ${limits.sessionSeconds} s`)),
    );
  }

  /** Ends the relay at once: the error frame, then the close code that belongs to its code. */
  fail(error: BridgeError, logDetails?: Readonly<Record<string, unknown>>): void {
    if (this.state === 'ended') return;
    this.logDetails = logDetails;
    this.end({ closeCode: error.closeCode, reason: error.code, closedBy: 'bridge' });
    this.ctx.metrics.errors[error.code]++;
    if (this.ws.readyState === this.ws.OPEN) {
      this.ws.send(errorFrame(error.code, error.message));
      this.closeWithGrace(error.closeCode, error.code);
    }
    this.upstream?.destroy();
  }

  /** The shutdown deadline passed: close with 1001 (going away). */
  goAway(): void {
    if (this.state === 'ended') return;
    this.end({ closeCode: GOING_AWAY, reason: 'shutdown', closedBy: 'bridge' });
    if (this.ws.readyState === this.ws.OPEN) this.closeWithGrace(GOING_AWAY, 'the bridge is shutting down');
    this.upstream?.destroy();
  }

  private closeWithGrace(code: number, reason: string): void {
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Bytes this relay holds right now, each way (the backpressure bounds them). */
  buffered(): { toClient: number; toServer: number } {
    return { toClient: this.ws.bufferedAmount, toServer: this.upstream?.writableLength ?? 0 };
  }

  /** Cuts the WebSocket without a close handshake (the shutdown's last step). */
  terminate(): void {
    this.goAway();
    this.ws.terminate();
  }

  // ---- browser side ---------------------------------------------------------------------------

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    if (this.state === 'ended') return;
    this.idleTimer?.refresh();
    const bytes = toBuffer(data);
    if (isBinary) this.onBinary(bytes);
    else this.onControl(bytes);
  };

  private onControl(bytes: Buffer): void {
    if (bytes.length > MAX_CONTROL_FRAME_BYTES) {
      return this.protocolError(`a control frame may have at most ${MAX_CONTROL_FRAME_BYTES} bytes`);
    }
    const frame = parseClientFrame(bytes.toString('utf8'));
    if ('invalid' in frame) return this.protocolError(frame.invalid);
    if (frame.type === 'connect') {
      if (this.state !== 'awaiting-connect')
        return this.protocolError('connect may only be sent once, first');
      void this.connect(frame.target);
      return;
    }
    if (this.starttlsRequested) return this.protocolError('starttls may only be sent once');
    if (this.state !== 'connected') return this.protocolError('starttls before the connected frame');
    if (this.target?.security !== 'starttls') {
      return this.protocolError('starttls is only for servers whose security is "starttls"');
    }
    this.starttlsRequested = true;
    void this.upgrade();
  }

  private onBinary(bytes: Buffer): void {
    if (this.state === 'upgrading') return this.protocolError('binary data during the TLS upgrade');
    if (this.state !== 'connected') return this.protocolError('binary data before the connected frame');
    this.bytesToServer += bytes.length;
    this.ctx.metrics.bytesToServer += bytes.length;
    this.flow.toServer(bytes);
  }

  private readonly onClose = (code: number): void => {
    if (this.state !== 'ended') {
      // The browser ended it. End the mail server's connection gracefully, so a QUIT just sent still
      // arrives (deletions are committed only by QUIT).
      this.end({ closeCode: code, reason: 'client_closed', closedBy: 'client' });
      const upstream = this.upstream;
      if (upstream && !upstream.destroyed) {
        upstream.end();
        upstream.resume(); // read (and drop) the server's last words so its close can complete
        setTimeout(() => upstream.destroy(), UPSTREAM_LINGER_MS).unref();
      }
    }
    for (const timer of this.timers) clearTimeout(timer);
    const ending = this.ending as NonNullable<typeof this.ending>;
    writeLog(this.ctx.log, {
      event: 'session',
      id: this.id,
      clientIp: this.clientIp,
      target: this.targetName,
      service: this.service,
      security: this.target?.security ?? null,
      bytesToServer: this.bytesToServer,
      bytesToClient: this.bytesToClient,
      durationMs: Date.now() - this.startedAt,
      ...ending,
      ...this.logDetails,
    });
    this.onEnded(this);
  };

  private readonly onWsError = (error: Error): void => {
    // ws closes by itself after a frame it cannot accept (over maxPayload: 1009, bad UTF-8: 1007 …).
    if (this.state === 'ended') return;
    const closeCode = WS_ERROR_CLOSE_CODES[(error as NodeJS.ErrnoException).code ?? ''] ?? 1002;
    this.end({ closeCode, reason: 'protocol_error', closedBy: 'bridge' });
    this.ctx.metrics.errors.protocol_error++;
    this.upstream?.destroy();
  };

  // ---- mail server side ---------------------------------------------------------------------

  private async connect(target: ConnectTarget): Promise<void> {
    this.state = 'connecting';
    // Browser-supplied, so bounded before it reaches the log.
    this.targetName = ('server' in target ? target.server : `${target.host}:${target.port}`).slice(0, 128);
    this.service = target.service ?? 'pop3';
    try {
      const resolved = await resolveTarget(target, this.ctx.config, this.ctx.resolver);
      if (this.state !== 'connecting') return;
      this.target = resolved;
      let socket: net.Socket = await connectUpstream(resolved, this.abort.signal, this.ends);
      if (this.state !== 'connecting') return void socket.destroy();
      let summary = null;
      if (resolved.security === 'tls') {
        ({ socket, summary } = await startTls(socket, resolved, this.abort.signal, false));
        if (this.state !== 'connecting') return void socket.destroy();
      }
      clearTimeout(this.stageTimer);
      this.state = 'connected';
      // The frame goes out before any relayed byte: data events come later, from the event loop.
      this.ws.send(connectedFrame(resolved.security, summary, resolved.service));
      this.attach(socket);
    } catch (error) {
      this.fail(asBridgeError(error));
    }
  }

  private async upgrade(): Promise<void> {
    const plain = this.upstream as net.Socket;
    const target = this.target as ResolvedTarget;
    this.state = 'upgrading';
    this.detach(plain);
    plain.on('error', () => undefined); // the TLS socket reports errors from here on
    const seconds = this.ctx.config.limits.connectSeconds;
    this.stageTimer = this.timer(seconds, () =>
      this.fail(new BridgeError('timeout', `the TLS handshake did not finish within ${seconds} s`)),
    );
    try {
      const { socket, summary } = await upgradeToTls(plain, target, this.abort.signal);
      if (this.state !== 'upgrading') return void socket.destroy();
      clearTimeout(this.stageTimer);
      this.state = 'connected';
      this.ws.send(tlsFrame(summary));
      this.attach(socket);
    } catch (error) {
      plain.destroy();
      this.fail(asBridgeError(error));
    }
  }

  private attach(socket: net.Socket): void {
    this.upstream = socket;
    this.flow.setUpstream(socket);
    socket.on('data', this.onUpstreamData);
    socket.on('end', this.onUpstreamEnd);
    socket.on('error', this.onUpstreamError);
    socket.on('close', this.onUpstreamClose);
  }

  private detach(socket: net.Socket): void {
    socket.off('data', this.onUpstreamData);
    socket.off('end', this.onUpstreamEnd);
    socket.off('error', this.onUpstreamError);
    socket.off('close', this.onUpstreamClose);
  }

  private readonly onUpstreamData = (chunk: Buffer): void => {
    if (this.state === 'ended') return;
    this.idleTimer?.refresh();
    this.bytesToClient += chunk.length;
    this.ctx.metrics.bytesToClient += chunk.length;
    this.flow.toBrowser(chunk);
  };

  /** The mail server closed cleanly (after QUIT, typically): a normal end, 1000, after the last bytes. */
  private readonly onUpstreamEnd = (): void => {
    if (this.state === 'ended') return;
    this.end({ closeCode: NORMAL_CLOSE, reason: 'closed', closedBy: 'server' });
    if (this.ws.readyState === this.ws.OPEN)
      this.ws.close(NORMAL_CLOSE, 'the mail server closed the connection');
  };

  private readonly onUpstreamError = (error: NodeJS.ErrnoException): void => {
    this.fail(
      new BridgeError(
        'upstream_closed',
        `the connection to the mail server failed (${error.code ?? 'error'})`,
      ),
    );
  };

  private readonly onUpstreamClose = (): void => {
    this.fail(new BridgeError('upstream_closed', 'the mail server connection closed unexpectedly'));
  };

  // ---- helpers --------------------------------------------------------------------------------

  private protocolError(message: string): void {
    this.fail(new BridgeError('protocol_error', message));
  }

  private end(ending: NonNullable<typeof this.ending>): void {
    this.state = 'ended';
    this.ending = ending;
    this.abort.abort(new Error('the relay ended'));
    for (const timer of this.timers) clearTimeout(timer);
    this.flow.release(); // read the browser's close frame even if its data was held back
  }

  private timer(seconds: number, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(action, seconds * 1000).unref();
    this.timers.push(timer);
    return timer;
  }
}

const WS_ERROR_CLOSE_CODES: Readonly<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_INVALID_UTF8: 1007,
};

function asBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
  return new BridgeError('connect_failed', `the connection to the mail server failed (${code})`, {
    cause: error,
  });
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
