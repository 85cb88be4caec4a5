import {
  connectWebSocketTransport,
  type BridgeTarget,
  type WebSocketTransport,
  type WebSocketTransportOptions,
} from '@webpop/pop3/browser';
import { fromTransportError, SmtpError } from '../errors.js';

export interface SubmissionWebSocketOptions extends Omit<WebSocketTransportOptions, 'target'> {
  /** A configured server's id (its submission server is used) or, where allowed, a host. */
  readonly target: BridgeTarget;
}

/**
 * A relay to the submission server through webpop's bridge (the POP3 engine's WebSocket transport with
 * `"service": "submission"` in its connect frame). Resolves once the bridge reports the submission
 * server connected; a bridge too old to know submission (it reports no service) is refused, since it
 * would have connected to the POP3 server instead.
 */
export async function connectSubmissionWebSocketTransport(
  options: SubmissionWebSocketOptions,
): Promise<WebSocketTransport> {
  let transport: WebSocketTransport;
  try {
    transport = await connectWebSocketTransport({
      ...options,
      target: { ...options.target, service: 'submission' },
    });
  } catch (error) {
    throw fromTransportError(error);
  }
  if (transport.connected.service !== 'submission') {
    transport.close();
    throw new SmtpError('bridge', 'this bridge does not relay to submission servers (it predates them)');
  }
  return transport;
}
