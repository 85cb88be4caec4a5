import {
  Pop3AbortError,
  Pop3ClosedError,
  Pop3Error,
  Pop3ProtocolError,
  Pop3TimeoutError,
  starttlsInjectionError,
} from '../errors.js';
import { limits } from '../limits.js';
import type { Security } from '../session.js';
import { tlsInfoFrom, type TlsInfo, type Transport, type TransportReceiver } from '../transport.js';
import {
  connectFrame,
  parseBridgeFrame,
  starttlsFrame,
  type ConnectTarget,
  type ErrorCode,
  type Service,
} from '@webpop/wire';

/** The bridge's error codes (apps/bridge/README.md). */
export type BridgeErrorCode = ErrorCode;
/** What to relay to: a server the bridge's configuration names, or (where allowed) any host. */
export type BridgeTarget = ConnectTarget;

/** The bridge refused the relay or ended it, with its code (`target_denied`, `tls_failed` …). */
export class Pop3BridgeError extends Pop3Error {
  override name = 'Pop3BridgeError';
  readonly code: BridgeErrorCode;
  /** The bridge's own words. */
  readonly bridgeMessage: string;
  /** The WebSocket close code, when the bridge closed the connection. */
  readonly closeCode: number | undefined;
  constructor(code: BridgeErrorCode, bridgeMessage: string, closeCode?: number) {
    super('bridge', `the bridge refused: ${bridgeMessage} (${code})`);
    this.code = code;
    this.bridgeMessage = bridgeMessage;
    this.closeCode = closeCode;
  }
}

/** The subset of the WHATWG WebSocket the transport uses (browsers, Node 22+, or the `ws` package). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  /** Bytes queued by `send` and not yet handed to the network (absent: treated as 0). */
  readonly bufferedAmount?: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WebSocketTransportOptions {
  /** The bridge's relay endpoint, e.g. `wss://mail.example.org/pop3`. */
  readonly url: string | URL;
  readonly target: BridgeTarget;
  /** Defaults to the global WebSocket. */
  readonly WebSocket?: WebSocketConstructor;
  readonly signal?: AbortSignal;
  /** Until the bridge reports `connected` (DNS, TCP and TLS to the mail server included). */
  readonly connectTimeoutMs?: number;
}

export interface WebSocketTransport extends Transport {
  /** What the bridge reported when the mail server's connection was up. */
  readonly connected: {
    readonly security: Security;
    readonly tls: TlsInfo | null;
    /** What the bridge connected to; `pop3` from a bridge that does not say (one before submission). */
    readonly service: Service;
  };
}

const OPEN = 1;

/** Opens a relay through webpop's bridge; resolves once the bridge reports the mail server connected. */
export function connectWebSocketTransport(options: WebSocketTransportOptions): Promise<WebSocketTransport> {
  const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Socket) throw new Pop3Error('unsupported', 'no WebSocket implementation is available');
  const socket = new Socket(String(options.url));
  socket.binaryType = 'arraybuffer';
  return new Promise((resolve, reject) => {
    const transport = new BridgeTransport(socket, (result) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (result instanceof Error) {
        socket.close(1000);
        reject(result);
      } else {
        resolve(transport);
      }
    });
    const timeoutMs = options.connectTimeoutMs ?? 20_000;
    const timer = setTimeout(
      () =>
        transport.failConnect(new Pop3TimeoutError('connect', timeoutMs, 'no connection through the bridge')),
      timeoutMs,
    );
    const onAbort = () => transport.failConnect(new Pop3AbortError('connect'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.addEventListener('open', () => socket.send(connectFrame(options.target)));
  });
}

type Connected = WebSocketTransport['connected'];
type ConnectResult = Connected | Error;

class BridgeTransport implements WebSocketTransport {
  private receiver: TransportReceiver | undefined;
  private readonly early: Uint8Array[] = [];
  private connection: Connected | undefined;
  private tlsInfo: TlsInfo | null = null;
  private pendingTls: { resolve: (info: TlsInfo) => void; reject: (error: Error) => void } | undefined;
  private bridgeError: Pop3BridgeError | undefined;
  private ended: { error: Error | undefined } | undefined;
  private starttlsSent = false;

  constructor(
    private readonly socket: WebSocketLike,
    private onConnect: ((result: ConnectResult) => void) | undefined,
  ) {
    socket.addEventListener('message', (event) => this.onMessage(event.data));
    socket.addEventListener('close', (event) => this.onClose(event.code, event.reason));
    socket.addEventListener('error', () => {
      /* the close event that follows says why */
    });
  }

  get connected() {
    const { security, tls, service } = this.connection!;
    return { security, tls, service };
  }

  get tls(): TlsInfo | null {
    return this.tlsInfo;
  }

  attach(receiver: TransportReceiver): void {
    this.receiver = receiver;
    for (const chunk of this.early.splice(0)) receiver.data(chunk);
    if (this.ended) receiver.closed(this.ended.error);
  }

  send(bytes: Uint8Array): void {
    if (this.socket.readyState === OPEN) this.socket.send(bytes);
  }

  readonly maxSendBytes = limits.webSocketMaxSendBytes;

  drained(): Promise<void> | undefined {
    if (!this.ended && this.socket.readyState === OPEN) {
      if ((this.socket.bufferedAmount ?? 0) <= limits.webSocketSendBufferBytes) return undefined;
    }
    // WebSocket has no 'drain' event: over the high mark, look at bufferedAmount until it is down to
    // the low one (limits.webSocketSendBufferBytes / webSocketResumeBytes).
    return new Promise((resolve, reject) => {
      let mark: number = limits.webSocketSendBufferBytes;
      const look = () => {
        if (this.ended || this.socket.readyState !== OPEN) {
          reject(this.ended?.error ?? new Pop3ClosedError('the connection to the bridge was closed'));
        } else if ((this.socket.bufferedAmount ?? 0) <= mark) {
          resolve();
        } else {
          mark = limits.webSocketResumeBytes;
          setTimeout(look, limits.sendBufferPollMs);
        }
      };
      look();
    });
  }

  close(): void {
    this.socket.close(1000);
  }

  startTls(): Promise<TlsInfo> {
    if (this.starttlsSent) return Promise.reject(new Pop3ProtocolError('STLS was already done once'));
    this.starttlsSent = true;
    return new Promise((resolve, reject) => {
      this.pendingTls = { resolve, reject };
      this.socket.send(starttlsFrame);
    });
  }

  failConnect(error: Error): void {
    this.settleConnect(error);
  }

  private settleConnect(result: ConnectResult): void {
    const onConnect = this.onConnect;
    this.onConnect = undefined;
    onConnect?.(result);
  }

  private onMessage(data: unknown): void {
    if (typeof data === 'string') return this.onControl(data);
    const bytes = toBytes(data);
    if (!bytes) return this.protocolFailure('the bridge sent a frame of an unknown kind');
    if (!this.connection) return this.protocolFailure('the bridge sent data before reporting the connection');
    // Bytes between the STLS request and the handshake's end would be plaintext: an injection.
    if (this.pendingTls) return this.fail(starttlsInjectionError());
    if (this.receiver) this.receiver.data(bytes);
    else this.early.push(bytes);
  }

  private onControl(text: string): void {
    const frame = parseBridgeFrame(text);
    if (!frame) return this.protocolFailure('the bridge sent a control frame it should not');
    switch (frame.type) {
      case 'connected':
        if (this.connection) return this.protocolFailure('the bridge reported the connection twice');
        this.connection = {
          security: frame.security,
          tls: frame.tls && tlsInfoFrom(frame.tls),
          service: frame.service ?? 'pop3',
        };
        this.tlsInfo = this.connection.tls;
        this.settleConnect(this.connection);
        return;
      case 'tls':
        if (!this.pendingTls) return this.protocolFailure('the bridge reported TLS that was not asked for');
        this.tlsInfo = tlsInfoFrom(frame.tls);
        this.pendingTls.resolve(this.tlsInfo);
        this.pendingTls = undefined;
        return;
      case 'error':
        // The close that follows settles everything, with its close code; keep the reason for it.
        this.bridgeError = new Pop3BridgeError(frame.code, frame.message);
        return;
    }
  }

  private onClose(code: number, reason: string): void {
    const error =
      this.bridgeError !== undefined
        ? new Pop3BridgeError(this.bridgeError.code, this.bridgeError.bridgeMessage, code)
        : code === 1000
          ? undefined
          : new Pop3ClosedError(`the connection to the bridge closed (${describeClose(code, reason)})`, {
              bridgeCloseCode: code,
            });
    this.settleConnect(
      error ?? new Pop3ClosedError('the bridge closed the connection before the mail server was reached'),
    );
    this.pendingTls?.reject(error ?? new Pop3ClosedError('the bridge closed the connection during STLS'));
    this.pendingTls = undefined;
    if (this.ended) return;
    this.ended = { error };
    this.receiver?.closed(error);
  }

  private protocolFailure(message: string): void {
    this.fail(new Pop3ProtocolError(message));
  }

  private fail(error: Error): void {
    this.settleConnect(error);
    this.pendingTls?.reject(error);
    this.pendingTls = undefined;
    if (!this.ended) {
      this.ended = { error };
      this.receiver?.closed(error);
    }
    this.socket.close(1000);
  }
}

/** A close without an error frame, in words: the code, and what it means where that is known. */
function describeClose(code: number, reason: string): string {
  const meaning =
    reason ||
    (code === 1001
      ? 'the bridge is shutting down'
      : code === 1006
        ? 'no close message: the bridge stopped or the network failed'
        : '');
  return meaning ? `${code}: ${meaning}` : String(code);
}

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}
