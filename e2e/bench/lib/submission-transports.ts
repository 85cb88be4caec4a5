import { openSubmission, type Credentials, type SmtpClient } from '@webpop/smtp';
import { connectSubmissionWebSocketTransport } from '@webpop/smtp/browser';
import { browserLikeWebSocket } from './websocket-transports.js';

/** The SMTP engine through webpop's bridge to the submission server configured beside `server`. */
export async function submissionThroughBridge(
  bridge: { url: string; relayUrl: string },
  server: string,
  credentials: Credentials,
): Promise<SmtpClient> {
  const transport = await connectSubmissionWebSocketTransport({
    url: bridge.relayUrl,
    target: { server },
    WebSocket: browserLikeWebSocket(bridge.url),
  });
  return openSubmission(transport, { security: transport.connected.security, credentials });
}
