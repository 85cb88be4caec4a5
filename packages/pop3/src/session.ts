import type { Credentials } from './auth/methods.js';
import { Pop3Client, type ClientOptions } from './client.js';
import { Pop3AbortError, Pop3SecurityError, Pop3ServerError, Pop3UnsupportedError } from './errors.js';
import type { Transport } from './transport.js';

import type { Security } from '@webpop/wire';
import type { Capabilities } from './capabilities.js';

export type { Security };
export { defaultPort } from '@webpop/wire';

export interface SessionOptions extends ClientOptions {
  readonly security: Security;
  readonly credentials: Credentials;
  /**
   * Cancels the whole sign-in (greeting, CAPA, STLS, login): the link is closed and the promise rejects
   * with an `aborted` error. It has no effect once the session is open.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Called once the login has started: commands issued here (the mailbox's STAT, LIST, UIDL) wait for
   * it and, with PIPELINING, leave with its last line instead of a round trip after it. They fail with
   * the login's error when it is refused.
   */
  readonly whileLoggingIn?: (client: Pop3Client) => void;
}

/**
 * Greeting, CAPA, STLS where asked for (never silently skipped), login: a client in the transaction
 * state. The transport is closed when any step fails.
 */
export async function openSession(transport: Transport, options: SessionOptions): Promise<Pop3Client> {
  const { signal } = options;
  if (!signal) return signIn(transport, options);
  if (signal.aborted) {
    transport.close();
    throw new Pop3AbortError('sign-in');
  }
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      transport.close();
      reject(new Pop3AbortError('sign-in'));
    };
  });
  signal.addEventListener('abort', onAbort, { once: true });
  const signingIn = signIn(transport, options);
  // Whichever loses the race: a session opened after the abort is closed; a failure after it is moot.
  signingIn.then(
    (client) => signal.aborted && client.close(),
    () => undefined,
  );
  try {
    return await Promise.race([signingIn, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function signIn(transport: Transport, options: SessionOptions): Promise<Pop3Client> {
  const client = await Pop3Client.connect(transport, options);
  try {
    const capabilities = await client.capa();
    if (options.security === 'tls' && !client.tls) {
      throw new Pop3SecurityError('not-encrypted', 'the transport was asked for TLS but is not encrypted');
    }
    if (options.security === 'starttls') await upgradeWithStls(client, capabilities);
    const loggingIn = client.login(options.credentials);
    options.whileLoggingIn?.(client);
    await loggingIn;
    return client;
  } catch (error) {
    client.close();
    throw error;
  }
}

/**
 * The STLS step of a sign-in (RFC 2595): refused when the server does not offer STLS, never silently
 * skipped; a server that answers -ERR to it cannot encrypt this connection. `capabilities` is what
 * CAPA said before (null: the server has no CAPA, so STLS is tried).
 */
export async function upgradeWithStls(client: Pop3Client, capabilities: Capabilities | null): Promise<void> {
  if (capabilities && !capabilities.has('STLS')) {
    throw new Pop3UnsupportedError('the server does not offer STLS, so the connection cannot be encrypted');
  }
  await client.stls().catch((error: unknown) => {
    if (error instanceof Pop3ServerError) {
      throw new Pop3UnsupportedError(`the server refused STLS: ${error.serverText}`);
    }
    throw error;
  });
}
