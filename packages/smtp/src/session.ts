import type { Security } from '@webpop/wire';
import type { Transport } from '@webpop/pop3';
import type { Credentials } from './auth/methods.js';
import { SmtpClient, type ClientOptions } from './client.js';
import { SmtpAbortError, SmtpSecurityError } from './errors.js';

export type { Security };

export interface SubmissionOptions extends ClientOptions {
  readonly security: Security;
  /** Omitted: no AUTH (a server that takes mail without it, such as a local sink). */
  readonly credentials?: Credentials;
  /** Cancels the whole opening (greeting, EHLO, STARTTLS, AUTH): the link is closed. */
  readonly signal?: AbortSignal;
}

/**
 * Greeting, EHLO, STARTTLS where asked (never silently skipped), EHLO again, AUTH: a client ready to
 * send. The transport is closed when any step fails.
 */
export async function openSubmission(transport: Transport, options: SubmissionOptions): Promise<SmtpClient> {
  const { signal } = options;
  if (signal?.aborted) {
    transport.close();
    throw new SmtpAbortError('connect');
  }
  const onAbort = () => transport.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  let client: SmtpClient | undefined;
  try {
    client = await SmtpClient.connect(transport, options);
    await client.ehlo();
    if (options.security === 'tls' && !client.tls) {
      throw new SmtpSecurityError('not-encrypted', 'the transport was asked for TLS but is not encrypted');
    }
    if (options.security === 'starttls') await client.starttls();
    if (options.credentials) await client.authenticate(options.credentials);
    return client;
  } catch (error) {
    client?.close();
    transport.close();
    throw signal?.aborted ? new SmtpAbortError('connect') : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
