import type net from 'node:net';
import type tls from 'node:tls';
import type { TlsSummary } from '@webpop/wire';
import { BridgeError } from '../errors.js';
import type { ResolvedTarget } from '../policy/target.js';
import { startTls } from './tls.js';

/**
 * The STLS upgrade, after the browser saw the server's `+OK` and sent `{"type":"starttls"}`. From that
 * moment the server must send nothing but its TLS handshake: plaintext bytes then are the STARTTLS
 * injection of the USENIX Security '21 paper ("Why TLS is better without STARTTLS"), so they end the
 * session with `protocol_error` instead of being relayed (or taken as handshake). The caller has
 * stopped relaying from `plain` before calling this.
 */
export async function upgradeToTls(
  plain: net.Socket,
  target: ResolvedTarget,
  signal: AbortSignal,
): Promise<{ socket: tls.TLSSocket; summary: TlsSummary }> {
  plain.pause();
  if (plain.readableLength > 0) {
    throw new BridgeError(
      'protocol_error',
      'the mail server sent data after STLS before the TLS handshake (STARTTLS injection?)',
    );
  }
  // Bytes arriving from here on reach the TLS parser, which rejects plaintext (see tlsError).
  return startTls(plain, target, signal, true);
}
