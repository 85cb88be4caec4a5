import net from 'node:net';
import tls from 'node:tls';
import { summarizeTls } from '@webpop/wire';
import {
  Pop3AbortError,
  Pop3ClosedError,
  Pop3TlsError,
  Pop3TimeoutError,
  starttlsInjectionError,
} from '../errors.js';
import { limits } from '../limits.js';
import type { Security } from '../session.js';
import { secureContextFor } from './secure-context.js';
import { tlsInfoFrom, type TlsInfo, type Transport, type TransportReceiver } from '../transport.js';

export interface NodeTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly security: Security;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. Verification is always on. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** The name the certificate must carry; defaults to `host`. */
  readonly servername?: string;
  /**
   * Pins the server's certificate by its SHA-256 fingerprint (hex, colons and case optional, as
   * `tls.TLSSocket` reports `fingerprint256`): that certificate is accepted whether or not a CA
   * vouches for it or its name matches (a self-signed server), and any other one is refused before
   * a byte is sent on the link.
   */
  readonly fingerprint256?: string;
  readonly connectTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Opens a TCP (and, for `tls`, TLS) connection; for `starttls` the link starts plain. */
export async function connectNodeTransport(options: NodeTransportOptions): Promise<Transport> {
  return new NodeTransport(await openSocket(options), options);
}

function openSocket(options: NodeTransportOptions): Promise<net.Socket> {
  const timeoutMs = options.connectTimeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const socket =
      options.security === 'tls'
        ? tls.connect({ ...tlsOptions(options), host: options.host, port: options.port })
        : net.connect({ host: options.host, port: options.port });
    socket.setNoDelay(true);
    const fail = (error: Error) => {
      done();
      socket.destroy();
      reject(error);
    };
    const onError = (error: Error) => fail(connectError(error, options));
    const onAbort = () => fail(new Pop3AbortError('connect'));
    const timer = setTimeout(
      () =>
        fail(new Pop3TimeoutError('connect', timeoutMs, `no connection to ${options.host}:${options.port}`)),
      timeoutMs,
    );
    const done = () => {
      clearTimeout(timer);
      socket.off('error', onError);
      options.signal?.removeEventListener('abort', onAbort);
    };
    socket.once(options.security === 'tls' ? 'secureConnect' : 'connect', () => {
      const refused = socket instanceof tls.TLSSocket ? pinRefusal(socket, options) : undefined;
      if (refused) return fail(refused);
      done();
      resolve(socket);
    });
    socket.once('error', onError);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function tlsOptions(options: NodeTransportOptions): tls.ConnectionOptions {
  const extra = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
  const servername = options.servername ?? options.host;
  return {
    servername: net.isIP(servername) ? undefined : servername,
    // Node's bundled roots beside the extra CAs, in a context built once per set of CAs.
    secureContext: secureContextFor(extra),
    // A pinned certificate replaces the CA check; pinRefusal checks it once the handshake is done.
    rejectUnauthorized: options.fingerprint256 === undefined,
    checkServerIdentity: (_host, certificate) => tls.checkServerIdentity(servername, certificate),
  };
}

/** Fingerprints compared as bare lower-case hex. */
function normalFingerprint(text: string): string {
  return text.replace(/:/g, '').toLowerCase();
}

/** With a pinned fingerprint: the error when the server's certificate is another one. */
function pinRefusal(socket: tls.TLSSocket, options: NodeTransportOptions): Pop3TlsError | undefined {
  if (options.fingerprint256 === undefined) return undefined;
  const actual = socket.getPeerCertificate().fingerprint256 ?? '';
  if (actual !== '' && normalFingerprint(actual) === normalFingerprint(options.fingerprint256))
    return undefined;
  return new Pop3TlsError(
    `TLS with ${options.host}:${options.port} failed: the server's certificate has the SHA-256 fingerprint ` +
      `${actual || '(none)'}, not the one pinned`,
    {
      cause: Object.assign(new Error('certificate fingerprint mismatch'), {
        code: 'ERR_TLS_CERT_PIN_MISMATCH',
      }),
    },
  );
}

function connectError(error: Error, options: NodeTransportOptions): Error {
  const where = `${options.host}:${options.port}`;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME|ALTNAME|SSL/i.test(code + error.message)) {
    return new Pop3TlsError(`TLS with ${where} failed: ${error.message}`, { cause: error });
  }
  return new Pop3ClosedError(`cannot connect to ${where}: ${error.message}`, { cause: error });
}

class NodeTransport implements Transport {
  private receiver: TransportReceiver | undefined;
  private readonly early: Uint8Array[] = [];
  private closedError: Error | undefined | null = null;
  private tlsInfo: TlsInfo | null;
  /** Bytes given to `send` whose write has not called back yet (not yet taken by the kernel). */
  private unsent = 0;
  /** `drained()` callers waiting for `unsent` to fall to the mark. */
  private readonly waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(
    private socket: net.Socket,
    private readonly options: NodeTransportOptions,
  ) {
    this.tlsInfo = socket instanceof tls.TLSSocket ? describeTls(socket, options) : null;
    this.listen(socket);
  }

  get tls(): TlsInfo | null {
    return this.tlsInfo;
  }

  attach(receiver: TransportReceiver): void {
    this.receiver = receiver;
    for (const chunk of this.early.splice(0)) receiver.data(chunk);
    if (this.closedError !== null) receiver.closed(this.closedError);
  }

  send(bytes: Uint8Array): void {
    if (this.socket.destroyed) return;
    const length = bytes.length;
    this.unsent += length;
    this.socket.write(bytes, () => this.taken(length));
  }

  /**
   * Counts what the socket has not yet handed to the kernel from the writes' own callbacks: reading
   * the socket's `writableLength`/`writableNeedDrain` getters for every piece cost 110 ms of CPU per
   * 35.9 MB message in a profile at load 25 (32 KiB pieces), more than the socket's write path.
   */
  drained(): Promise<void> | undefined {
    if (this.closedError !== null || this.socket.destroyed)
      return Promise.reject(new Pop3ClosedError('the connection was closed'));
    if (this.unsent <= limits.sendBufferBytes) return undefined;
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private taken(length: number): void {
    this.unsent -= length;
    if (this.unsent > limits.sendBufferBytes) return;
    for (const waiting of this.waiting.splice(0)) waiting.resolve();
  }

  close(): void {
    this.socket.destroy();
  }

  async startTls(): Promise<TlsInfo> {
    const plain = this.socket;
    // Bytes the server sent after +OK and before the handshake would be taken as TLS records or, worse,
    // as replies: refuse them (CVE-2021-22947 class).
    if (plain.readableLength > 0) {
      plain.destroy();
      throw starttlsInjectionError();
    }
    this.unlisten(plain);
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({ ...tlsOptions(this.options), socket: plain });
      socket.once('secureConnect', () => {
        socket.off('error', onError);
        const refused = pinRefusal(socket, this.options);
        if (refused) {
          socket.destroy();
          reject(refused);
        } else resolve(socket);
      });
      const onError = (error: Error) => {
        socket.destroy();
        reject(
          (error as NodeJS.ErrnoException).code === 'ERR_SSL_WRONG_VERSION_NUMBER'
            ? starttlsInjectionError()
            : connectError(error, this.options),
        );
      };
      socket.once('error', onError);
    });
    this.socket = secure;
    this.listen(secure);
    this.tlsInfo = describeTls(secure, this.options);
    return this.tlsInfo;
  }

  private readonly onData = (chunk: Buffer) => {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.receiver) this.receiver.data(bytes);
    else this.early.push(bytes);
  };

  private readonly onError = (error: Error) => {
    this.closedError = error;
  };

  private readonly onClose = () => {
    if (this.closedError === null) this.closedError = undefined;
    const closed = new Pop3ClosedError('the connection closed while the server was taking the data');
    for (const waiting of this.waiting.splice(0)) waiting.reject(closed);
    this.receiver?.closed(this.closedError ?? undefined);
  };

  private listen(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private unlisten(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
  }
}

/** `authorized`: verified against the CAs, or (pinned) the very certificate pinned. */
function describeTls(socket: tls.TLSSocket, options: NodeTransportOptions): TlsInfo {
  return tlsInfoFrom(summarizeTls(socket, socket.authorized || options.fingerprint256 !== undefined));
}
