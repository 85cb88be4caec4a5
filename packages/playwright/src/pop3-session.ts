import { connectPop3 } from '@webpop/pop3/node';
import { Pop3ClosedError, type Pop3Client } from '@webpop/pop3';
import { explainConnectionError } from './connection-errors.js';
import type { ResolvedMailboxOptions } from './options.js';

/**
 * Opens one POP3 session (connect, STLS where asked, login), runs `work`, and ends it with QUIT, which
 * commits any DELE. When `work` fails, or `signal` aborts, the link is closed without QUIT, so nothing
 * is deleted.
 */
export async function withPop3Session<T>(
  options: ResolvedMailboxOptions,
  work: (client: Pop3Client) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const client = await openClient(options, signal);
  const onAbort = () => client.close();
  try {
    if (signal?.aborted) throw new Pop3ClosedError('the session was cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    const result = await work(client);
    await client.quit();
    return result;
  } catch (error) {
    client.close();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function openClient(
  options: ResolvedMailboxOptions,
  signal: AbortSignal | undefined,
): Promise<Pop3Client> {
  try {
    return await connectPop3({
      host: options.host,
      port: options.port,
      security: options.security,
      ca: options.ca,
      servername: options.servername,
      connectTimeoutMs: options.commandTimeout,
      timeoutMs: options.commandTimeout,
      onLog: options.onLog,
      signal,
      credentials: {
        username: options.username,
        password: options.password,
        accessToken: options.accessToken,
        method: options.auth,
        allowPlaintext: options.allowPlaintext,
      },
    });
  } catch (error) {
    throw explainConnectionError(error, options);
  }
}
