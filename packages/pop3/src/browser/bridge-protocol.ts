import type { Security } from '../session.js';
import type { TlsInfo } from '../transport.js';

/** The bridge's error codes (apps/bridge/README.md). */
export type BridgeErrorCode =
  | 'target_denied'
  | 'address_denied'
  | 'origin_denied'
  | 'limit_reached'
  | 'dns_failed'
  | 'connect_failed'
  | 'timeout'
  | 'tls_failed'
  | 'protocol_error'
  | 'upstream_closed';

/** What to relay to: a server the bridge's configuration names, or (where allowed) any host. */
export type BridgeTarget =
  { readonly server: string } | { readonly host: string; readonly port: number; readonly security: Security };

export interface ConnectedFrame {
  readonly type: 'connected';
  readonly security: Security;
  readonly tls: TlsInfo | null;
}

export type BridgeFrame =
  | ConnectedFrame
  | { readonly type: 'tls'; readonly tls: TlsInfo }
  | { readonly type: 'error'; readonly code: BridgeErrorCode; readonly message: string };

export function connectFrame(target: BridgeTarget): string {
  return JSON.stringify(
    'server' in target ? { type: 'connect', server: target.server } : { type: 'connect', ...target },
  );
}

export const starttlsFrame = JSON.stringify({ type: 'starttls' });

const securities = new Set(['none', 'tls', 'starttls']);

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
      if (!securities.has(frame.security as string)) return undefined;
      return { type: 'connected', security: frame.security as Security, tls: parseTls(frame.tls) ?? null };
    case 'tls': {
      const tls = parseTls(frame.tls ?? frame);
      return tls ? { type: 'tls', tls } : undefined;
    }
    case 'error':
      if (typeof frame.code !== 'string') return undefined;
      return {
        type: 'error',
        code: frame.code as BridgeErrorCode,
        message: typeof frame.message === 'string' ? frame.message : frame.code,
      };
    default:
      return undefined;
  }
}

function parseTls(value: unknown): TlsInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tls = value as Record<string, unknown>;
  const text = (key: string) => (typeof tls[key] === 'string' ? (tls[key] as string) : undefined);
  return {
    protocol: text('protocol') ?? null,
    cipher: text('cipher') ?? null,
    authorized: tls.authorized === true,
    subject: text('subject'),
    issuer: text('issuer'),
    validFrom: text('validFrom'),
    validTo: text('validTo'),
    fingerprint256: text('fingerprint256'),
  };
}
