import type { TlsSummary } from '@webpop/wire';

/** What the engine knows about an encrypted link, as reported by the transport. */
export interface TlsInfo {
  readonly protocol: string | null;
  readonly cipher: string | null;
  /** The certificate was verified (against CAs or a pinned fingerprint). */
  readonly authorized: boolean;
  readonly subject?: string;
  readonly issuer?: string;
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly fingerprint256?: string;
}

/** The engine's view of a summary from the wire (or of a direct link, which also knows `validFrom`). */
export function tlsInfoFrom(summary: TlsSummary & { readonly validFrom?: string | null }): TlsInfo {
  return {
    protocol: summary.protocol,
    cipher: summary.cipher,
    authorized: summary.authorized,
    subject: summary.subject ?? undefined,
    issuer: summary.issuer ?? undefined,
    validFrom: summary.validFrom ?? undefined,
    validTo: summary.validTo ?? undefined,
    fingerprint256: summary.fingerprint256 ?? undefined,
  };
}

export interface TransportReceiver {
  /** Bytes from the server, in order. */
  data(chunk: Uint8Array): void;
  /** The link ended; `error` says why when it was not a clean close. */
  closed(error?: Error): void;
}

/**
 * A byte pipe to a POP3 server: a Node socket, or a WebSocket to the bridge. The engine's core only
 * sees this interface, so it runs unchanged in browsers and in Node.
 */
export interface Transport {
  /** Starts delivering bytes to `receiver`; bytes that arrived earlier are delivered first. */
  attach(receiver: TransportReceiver): void;
  send(bytes: Uint8Array): void;
  /**
   * Backpressure: resolves once what `send` was given so far is down to the transport's high-water mark
   * (`limits.sendBufferBytes`; once over it, the WebSocket's waits down to `webSocketResumeBytes`) on
   * its way to the server, and rejects when the link ends first; `undefined` when it is under the mark
   * already (nothing to wait for: no promise, and the writer arms no timer). A writer that streams
   * (the SMTP engine's DATA) calls it after each piece so a slow link holds the source back instead
   * of queueing the whole message in memory. Optional: without it, writes are never held back.
   */
  drained?(): Promise<void> | undefined;
  /**
   * The most bytes one `send` may carry, where the far end has a limit (the bridge's WebSocket
   * message limit); absent: any size. A streaming writer cuts its pieces to fit.
   */
  readonly maxSendBytes?: number;
  /**
   * Upgrades the link to TLS after the server's `+OK` to STLS. Must reject (and close) when the server
   * sent any byte after that `+OK` and before the handshake (STARTTLS command injection).
   */
  startTls(): Promise<TlsInfo>;
  /** Ends the link at once. */
  close(): void;
  /** The TLS state of the link; null while it is not encrypted. */
  readonly tls: TlsInfo | null;
}
