import type { Credentials } from './auth/methods.js';
import { Pop3Client, type ClientOptions } from './client.js';
import { Pop3SecurityError, Pop3ServerError, Pop3UnsupportedError } from './errors.js';
import type { Transport } from './transport.js';

/** `none`: plain TCP; `tls`: TLS from the first byte (port 995); `starttls`: plain, then STLS. */
export type Security = 'none' | 'tls' | 'starttls';

export interface SessionOptions extends ClientOptions {
  readonly security: Security;
  readonly credentials: Credentials;
}

/**
 * Greeting, CAPA, STLS where asked for (never silently skipped), login: a client in the transaction
 * state. The transport is closed when any step fails.
 */
export async function openSession(transport: Transport, options: SessionOptions): Promise<Pop3Client> {
  const client = await Pop3Client.connect(transport, options);
  try {
    const capabilities = await client.capa();
    if (options.security === 'tls' && !client.tls) {
      throw new Pop3SecurityError('not-encrypted', 'the transport was asked for TLS but is not encrypted');
    }
    if (options.security === 'starttls') {
      if (capabilities && !capabilities.has('STLS')) {
        throw new Pop3UnsupportedError(
          'the server does not offer STLS, so the connection cannot be encrypted',
        );
      }
      await client.stls().catch((error: unknown) => {
        if (error instanceof Pop3ServerError) {
          throw new Pop3UnsupportedError(`the server refused STLS: ${error.serverText}`);
        }
        throw error;
      });
    }
    await client.login(options.credentials);
    return client;
  } catch (error) {
    client.close();
    throw error;
  }
}
