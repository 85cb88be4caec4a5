import { openSubmission, type SendResult, type SmtpClient } from '@webpop/smtp';
import { connectSubmissionWebSocketTransport } from '@webpop/smtp/browser';
import type { BridgeTarget } from '@webpop/pop3/browser';
import { bridgeUrl } from '../session/connect.js';
import { browserLegEncrypted } from '../session/link-security.js';
import type { SignInParams, UiLogEntry } from '../session/types.js';

/** One message for the submission server: the envelope and the bytes. */
export interface Submission {
  readonly from: string;
  readonly to: readonly string[];
  readonly bytes: Uint8Array;
  /**
   * The bytes hold one over 127 (BODY=8BITMIME), as the builder that wrote them knows: the engine
   * then does not read the whole message to find out (a 25 MiB attachment is 36 MB to scan).
   */
  readonly eightBit: boolean;
}

export interface SubmitHooks {
  readonly onLog: (entry: UiLogEntry) => void;
  /** Bytes of the message written so far, of `bytes.length`. */
  readonly onProgress: (sent: number) => void;
}

/**
 * Sends one message as the signed-in user (same username and password, or OAuth access token, as
 * POP3: the submission server beside it checks the same accounts). Rejects with the engine's SmtpError.
 */
export type Submit = (
  account: SignInParams,
  submission: Submission,
  hooks: SubmitHooks,
  signal: AbortSignal,
) => Promise<SendResult>;

/** The real one: the bridge's submission relay beside the POP3 server, then the SMTP engine. */
export const submitThroughBridge: Submit = async (account, submission, hooks, signal) => {
  const { server } = account;
  const target: BridgeTarget =
    server.kind === 'configured'
      ? { server: server.id }
      : { host: server.host, port: 587, security: 'starttls' };
  // OAuth: the same token as POP3 (refreshed first when due); the engine's `auto` then uses
  // OAUTHBEARER where offered, else XOAUTH2.
  const secret = account.oauth
    ? { accessToken: await account.oauth.tokens.accessToken() }
    : { password: account.password };
  hooks.onLog({ direction: 'info', text: 'connecting through the bridge to the submission server' });
  const transport = await connectSubmissionWebSocketTransport({
    url: bridgeUrl(),
    target,
    signal,
    connectTimeoutMs: 20_000,
  });
  const client = await openSubmission(transport, {
    security: transport.connected.security,
    credentials: {
      username: account.username,
      ...secret,
      unencryptedHop: !browserLegEncrypted(bridgeUrl()),
      ...(account.allowPlaintext ? { allowPlaintext: true } : {}),
    },
    onLog: (entry) => hooks.onLog(entry),
    signal,
  });
  return sendAndQuit(client, submission, hooks, signal);
};

/**
 * One message on an open submission session, then QUIT. Any refused recipient stops it before DATA
 * (`abort`): nothing is sent to anyone, and the dialog names who was refused.
 */
export async function sendAndQuit(
  client: SmtpClient,
  submission: Submission,
  hooks: SubmitHooks,
  signal: AbortSignal,
): Promise<SendResult> {
  try {
    return await client.send({ from: submission.from, to: submission.to }, submission.bytes, {
      refusedRecipients: 'abort',
      eightBit: submission.eightBit,
      onProgress: hooks.onProgress,
      signal,
    });
  } finally {
    await client.quit().catch(() => client.close());
  }
}
