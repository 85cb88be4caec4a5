import type { Service } from './client-frames.js';
import type { ErrorCode } from './codes.js';
import { isSecurity, type Security } from './security.js';
import { parseTlsSummary, wireTlsSummary, type TlsSummary } from './tls.js';

export interface ConnectedFrame {
  readonly type: 'connected';
  readonly security: Security;
  /** Null for `none` and `starttls` (the link is plain until STLS). */
  readonly tls: TlsSummary | null;
  /** What was connected to (`submission` only when asked for); absent from bridges before submission. */
  readonly service?: Service;
}

export interface TlsFrame {
  readonly type: 'tls';
  readonly tls: TlsSummary;
}

export interface ErrorFrame {
  readonly type: 'error';
  /** One of `ErrorCode`s from this bridge; a newer bridge may send others, so readers keep a fallback. */
  readonly code: ErrorCode;
  /** For people; never quotes payload. */
  readonly message: string;
}

/** Bridge → browser. */
export type BridgeFrame = ConnectedFrame | TlsFrame | ErrorFrame;

export const connectedFrame = (security: Security, tls: TlsSummary | null, service?: Service): string =>
  JSON.stringify({
    type: 'connected',
    security,
    tls: tls && wireTlsSummary(tls),
    ...(service === 'submission' ? { service } : {}),
  });

export const tlsFrame = (tls: TlsSummary): string =>
  JSON.stringify({ type: 'tls', tls: wireTlsSummary(tls) });

export const errorFrame = (code: ErrorCode, message: string): string =>
  JSON.stringify({ type: 'error', code, message });

/** Parses a text frame from the bridge; undefined when it is not one of the frames above. */
export function parseBridgeFrame(text: string): BridgeFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const frame = value as Record<string, unknown>;
  switch (frame.type) {
    case 'connected':
      if (!isSecurity(frame.security)) return undefined;
      return {
        type: 'connected',
        security: frame.security,
        tls: parseTlsSummary(frame.tls) ?? null,
        ...(frame.service === 'submission' ? { service: 'submission' as const } : {}),
      };
    case 'tls': {
      const tls = parseTlsSummary(frame.tls);
      return tls ? { type: 'tls', tls } : undefined;
    }
    case 'error':
      if (typeof frame.code !== 'string') return undefined;
      return {
        type: 'error',
        // Passed on as sent (see ErrorFrame.code).
        code: frame.code as ErrorCode,
        message: typeof frame.message === 'string' ? frame.message : frame.code,
      };
    default:
      return undefined;
  }
}
