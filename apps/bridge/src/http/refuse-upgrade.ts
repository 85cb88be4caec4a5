import type { Duplex } from 'node:stream';
import type { ErrorCode } from '@webpop/wire';

/** Why an upgrade is answered with an HTTP error instead of a WebSocket, known from the request alone. */
export interface UpgradeRefusal {
  readonly status: 403 | 421 | 429 | 503;
  /** The wire protocol's code, counted in /metrics and written to the log; null for an unknown host. */
  readonly code: ErrorCode | null;
  readonly message: string;
  /** What the log line adds for the operator (never a payload or a secret). */
  readonly logDetails?: Readonly<Record<string, unknown>>;
}

const STATUS_TEXT: Readonly<Record<UpgradeRefusal['status'], string>> = {
  403: 'Forbidden',
  421: 'Misdirected Request',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * Answers an upgrade request with a plain HTTP error and closes the socket once it is written: the
 * socket never becomes a WebSocket, so nothing waits for a close handshake (ws holds a refused
 * WebSocket up to 30 s for one).
 */
export function refuseUpgrade(socket: Duplex, refusal: UpgradeRefusal): void {
  const body = `${refusal.message}\n`;
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status]}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      (refusal.status === 429 ? 'Retry-After: 60\r\n' : '') +
      `\r\n${body}`,
    () => socket.destroy(),
  );
}
