import net from 'node:net';
import tls from 'node:tls';
import { summarizeTls, type TlsSummary } from '@webpop/wire';
import { BridgeError } from '../errors.js';
import type { ResolvedTarget } from '../policy/target.js';
import { secureContextFor } from './secure-context.js';

/**
 * TLS over an open TCP connection (implicit TLS right after connecting, or after STLS). Verification is
 * always on: Node's bundled roots plus the server's configured `ca`, with the host name checked, or, for
 * a pinned server, the certificate's SHA-256 fingerprint (then chain and name do not matter).
 */
export function startTls(
  socket: net.Socket,
  target: ResolvedTarget,
  signal: AbortSignal,
  afterStls: boolean,
): Promise<{ socket: tls.TLSSocket; summary: TlsSummary }> {
  const pinned = target.fingerprint256;
  return new Promise((resolve, reject) => {
    const secure = tls.connect({
      socket,
      // SNI carries names only; for an address the certificate must list the address itself.
      servername: net.isIP(target.host) ? undefined : target.host,
      // Node's bundled roots beside the configured CA, in a context built once per CA.
      secureContext: secureContextFor(target.caPem),
      rejectUnauthorized: pinned === undefined,
      checkServerIdentity: (_name, certificate) => tls.checkServerIdentity(target.host, certificate),
    });
    const settle = () => {
      signal.removeEventListener('abort', onAbort);
      secure.off('error', onError);
    };
    const onAbort = () => {
      settle();
      secure.destroy();
      reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
    };
    const onError = (error: NodeJS.ErrnoException) => {
      settle();
      secure.destroy();
      reject(tlsError(error, target, afterStls));
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      settle();
      if (pinned !== undefined) {
        const actual = secure.getPeerCertificate().fingerprint256;
        if (actual !== pinned) {
          secure.destroy();
          reject(
            new BridgeError(
              'tls_failed',
              `the certificate of ${target.host} does not match its pinned fingerprint`,
            ),
          );
          return;
        }
      }
      resolve({ socket: secure, summary: summarizeTls(secure, true) });
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

// Record-layer errors: what OpenSSL says when plaintext arrives where TLS records should.
const NOT_TLS =
  /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD_LENGTH|UNEXPECTED_RECORD|HTTP_REQUEST|RECORD_LAYER/i;

function tlsError(error: NodeJS.ErrnoException, target: ResolvedTarget, afterStls: boolean): BridgeError {
  if (afterStls && NOT_TLS.test(`${error.code ?? ''} ${error.message}`)) {
    return new BridgeError(
      'protocol_error',
      'the mail server sent plaintext after STLS instead of a TLS handshake (STARTTLS injection?)',
      { cause: error },
    );
  }
  return new BridgeError('tls_failed', `TLS with ${target.host} failed: ${error.message}`, { cause: error });
}
