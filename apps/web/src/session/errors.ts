import type {
  Pop3ClosedError,
  Pop3Error,
  Pop3ErrorKind,
  Pop3SecurityError,
  Pop3ServerError,
  Pop3TimeoutError,
} from '@webpop/pop3';
import type { ErrorCode as BridgeErrorCode } from '@webpop/wire';
import type { MessageKey } from '../i18n/index.js';

/** An error in words: a message key, and the server's (or bridge's) own text to show beside it. */
export interface UiError {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
  /** `server`: the server's text after -ERR; `bridge`: the bridge's message; `details`: engine words. */
  readonly detail?: { readonly source: 'server' | 'bridge' | 'details'; readonly text: string };
}

/** Where the error happened: reaching the server, signing in, or later in the session. */
export type ErrorPhase = 'connect' | 'login' | 'session';

/** Every code the bridge sends (the compiler checks this against the wire protocol's list); others get general words. */
const knownBridgeCodes: Readonly<Record<BridgeErrorCode, true>> = {
  target_denied: true,
  address_denied: true,
  origin_denied: true,
  limit_reached: true,
  dns_failed: true,
  connect_failed: true,
  timeout: true,
  tls_failed: true,
  protocol_error: true,
  upstream_closed: true,
};

const securityKeys = {
  'error.security.plaintext': true,
  'error.security.injection': true,
  'error.security.credentials': true,
  'error.security.missing-secret': true,
  'error.security.not-encrypted': true,
};

const loginCommands = /^(?:USER|PASS|APOP|AUTH\b)/i;

function serverDetail(text: string): UiError['detail'] {
  return text ? { source: 'server', text } : undefined;
}

function withDetail(key: MessageKey, detail: UiError['detail'], params?: UiError['params']): UiError {
  return { key, ...(detail ? { detail } : {}), ...(params ? { params } : {}) };
}

const kinds = new Set<Pop3ErrorKind>([
  'server',
  'protocol',
  'closed',
  'timeout',
  'aborted',
  'security',
  'unsupported',
  'tls',
  'bridge',
  'integrity',
]);

/**
 * The engine's errors, recognised by their `kind` rather than instanceof, so this module (part of the
 * app shell) does not pull the engine into the first download.
 */
function isPop3Error(error: unknown): error is Pop3Error {
  return error instanceof Error && kinds.has((error as Partial<Pop3Error>).kind as Pop3ErrorKind);
}

function isServerError(error: unknown): error is Pop3ServerError {
  return (
    isPop3Error(error) && error.kind === 'server' && typeof (error as Pop3ServerError).command === 'string'
  );
}

/** Maps any failure to words a user understands, keeping the server's own text. */
export function describeError(error: unknown, phase: ErrorPhase = 'session'): UiError {
  if (isServerError(error)) {
    const detail = serverDetail(error.code ? `[${error.code}] ${error.serverText}`.trim() : error.serverText);
    switch (error.code?.toUpperCase()) {
      case 'AUTH':
        return withDetail('error.auth', detail);
      case 'IN-USE':
        return withDetail('error.inUse', detail);
      case 'LOGIN-DELAY':
        return withDetail('error.loginDelay', detail);
      case 'SYS/TEMP':
        return withDetail('error.sysTemp', detail);
      case 'SYS/PERM':
        return withDetail('error.sysPerm', detail);
    }
    if (error.command === 'greeting') return withDetail('error.greeting', detail);
    if (loginCommands.test(error.command)) return withDetail('error.loginFailed', detail);
    return withDetail('error.command', detail, { command: error.command });
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
        const key = (
          code && Object.hasOwn(knownBridgeCodes, code) ? `error.bridge.${code}` : 'error.bridge.other'
        ) as MessageKey;
        return withDetail(key, detail);
      }
      case 'tls':
        return withDetail('error.tls', details);
      case 'security': {
        const reason = (error as Pop3SecurityError).reason;
        const key = `error.security.${reason}`;
        return withDetail((key in securityKeys ? key : 'error.unknown') as MessageKey, details);
      }
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
    }
  }
  if (error instanceof DOMException && error.name === 'AbortError') return { key: 'error.aborted' };
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return withDetail('error.unknown', text ? { source: 'details', text } : undefined);
}
