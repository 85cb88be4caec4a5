import type {
  Pop3ClosedError,
  Pop3Error,
  Pop3ErrorKind,
  Pop3SecurityError,
  Pop3ServerError,
  Pop3TimeoutError,
  RefusalCode,
  SecurityRefusal,
} from '@webpop/pop3';
import type { ErrorCode as BridgeErrorCode } from '@webpop/wire';
import type { MessageKey } from '../i18n/index.js';
import { isOAuthError, tokenRefusalStatus, type OAuthErrorKind } from '../oauth/types.js';

/** An error in words: a message key, and the server's (or bridge's) own text to show beside it. */
export interface UiError {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
  /** `server`: the server's text after -ERR; `bridge`: the bridge's message; `details`: engine words. */
  readonly detail?: { readonly source: 'server' | 'bridge' | 'details'; readonly text: string };
}

/** Where the error happened: reaching the server, signing in, or later in the session. */
export type ErrorPhase = 'connect' | 'login' | 'session';

// The words for each value of the engine's and the wire protocol's unions: a value added there and not
// here is a compile error. The unions come in as types only, so this module (part of the app shell)
// does not pull the engine into the first download. Values from a newer server or bridge that are not
// in the unions get general words.

const bridgeKeys: Readonly<Record<BridgeErrorCode, MessageKey>> = {
  target_denied: 'error.bridge.target_denied',
  address_denied: 'error.bridge.address_denied',
  origin_denied: 'error.bridge.origin_denied',
  limit_reached: 'error.bridge.limit_reached',
  dns_failed: 'error.bridge.dns_failed',
  connect_failed: 'error.bridge.connect_failed',
  timeout: 'error.bridge.timeout',
  tls_failed: 'error.bridge.tls_failed',
  protocol_error: 'error.bridge.protocol_error',
  upstream_closed: 'error.bridge.upstream_closed',
};

const securityKeys: Readonly<Record<SecurityRefusal, MessageKey>> = {
  plaintext: 'error.security.plaintext',
  injection: 'error.security.injection',
  credentials: 'error.security.credentials',
  'missing-secret': 'error.security.missing-secret',
  'not-encrypted': 'error.security.not-encrypted',
};

const refusalKeys: Readonly<Record<RefusalCode, MessageKey>> = {
  AUTH: 'error.auth',
  'IN-USE': 'error.inUse',
  'LOGIN-DELAY': 'error.loginDelay',
  'SYS/TEMP': 'error.sysTemp',
  'SYS/PERM': 'error.sysPerm',
};

/** The key for `value` in `keys`, or `fallback` for a value the unions do not (yet) have. */
function keyFor<K extends string, F>(
  keys: Readonly<Record<K, MessageKey>>,
  value: unknown,
  fallback: F,
): MessageKey | F {
  return typeof value === 'string' && Object.hasOwn(keys, value) ? keys[value as K] : fallback;
}

function serverDetail(text: string): UiError['detail'] {
  return text ? { source: 'server', text } : undefined;
}

function withDetail(key: MessageKey, detail: UiError['detail'], params?: UiError['params']): UiError {
  return { key, ...(detail ? { detail } : {}), ...(params ? { params } : {}) };
}

const kinds: Readonly<Record<Pop3ErrorKind, true>> = {
  server: true,
  protocol: true,
  closed: true,
  timeout: true,
  aborted: true,
  security: true,
  unsupported: true,
  tls: true,
  bridge: true,
  integrity: true,
};

/**
 * The engine's errors, recognised by their `kind` rather than instanceof, so this module (part of the
 * app shell) does not pull the engine into the first download.
 */
function isPop3Error(error: unknown): error is Pop3Error {
  const kind = (error as Partial<Pop3Error>).kind;
  return error instanceof Error && typeof kind === 'string' && Object.hasOwn(kinds, kind);
}

function isServerError(error: unknown): error is Pop3ServerError {
  return (
    isPop3Error(error) && error.kind === 'server' && typeof (error as Pop3ServerError).command === 'string'
  );
}

const oauthKeys: Readonly<Record<OAuthErrorKind, MessageKey>> = {
  state: 'error.oauth.state',
  denied: 'error.oauth.denied',
  exchange: 'error.oauth.exchange',
  refresh: 'error.oauth.refresh',
  username: 'error.oauth.username',
};

/** Maps any failure to words a user understands, keeping the server's own text. */
export function describeError(error: unknown, phase: ErrorPhase = 'session'): UiError {
  // The mail server refused an OAuth token (the engine's Pop3OAuthError): its status beside its text.
  const status = tokenRefusalStatus(error);
  if (status !== undefined && isServerError(error)) {
    return withDetail('error.oauth.refused', serverDetail(`${error.serverText} (${status})`.trim()));
  }
  if (isOAuthError(error)) {
    return withDetail(
      oauthKeys[error.kind],
      error.message ? { source: 'details', text: error.message } : undefined,
    );
  }
  if (isServerError(error)) {
    const detail = serverDetail(error.code ? `[${error.code}] ${error.serverText}`.trim() : error.serverText);
    const refused = keyFor(refusalKeys, error.code?.toUpperCase(), undefined);
    if (refused) return withDetail(refused, detail);
    switch (error.phase) {
      case 'greeting':
        return withDetail('error.greeting', detail);
      case 'login':
        return withDetail('error.loginFailed', detail);
      case 'transaction':
        return withDetail('error.command', detail, { command: error.command });
      default:
        error.phase satisfies never; // every phase has its words; at run time, fall through to general ones
    }
  }
  if (isPop3Error(error)) {
    const details = error.message ? { source: 'details' as const, text: error.message } : undefined;
    switch (error.kind) {
      case 'bridge': {
        const { code, bridgeMessage } = error as Pop3Error & {
          code?: BridgeErrorCode;
          bridgeMessage?: string;
        };
        const detail = bridgeMessage ? { source: 'bridge' as const, text: bridgeMessage } : details;
        return withDetail(keyFor(bridgeKeys, code, 'error.bridge.other'), detail);
      }
      case 'tls':
        return withDetail('error.tls', details);
      case 'security':
        return withDetail(
          keyFor(securityKeys, (error as Pop3SecurityError).reason, 'error.unknown'),
          details,
        );
      case 'unsupported':
        return withDetail('error.unsupported', details);
      case 'protocol':
        return withDetail('error.protocol', details);
      case 'integrity':
        return withDetail('error.integrity', details);
      case 'timeout':
        return withDetail(
          (error as Pop3TimeoutError).command === 'connect' ? 'error.connectTimeout' : 'error.timeout',
          details,
        );
      case 'aborted':
        return { key: 'error.aborted' };
      case 'closed':
        // Before the bridge reported the mail server connected, a close means the bridge itself is not there.
        if (phase === 'connect') return withDetail('error.bridgeUnreachable', details);
        // Later, the browser transport gives a close code when the WebSocket itself was cut (not a normal
        // end relayed from the mail server): the bridge stopped or restarted, or the network went away.
        return withDetail(
          (error as Pop3ClosedError).bridgeCloseCode !== undefined ? 'error.bridgeLost' : 'error.closed',
          details,
        );
      case 'server':
        return withDetail('error.unknown', details);
      default:
        error.kind satisfies never; // every kind has its words
    }
  }
  if (error instanceof DOMException && error.name === 'AbortError') return { key: 'error.aborted' };
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return withDetail('error.unknown', text ? { source: 'details', text } : undefined);
}
