import { Pop3ServerError, Pop3TlsError, isRetryable } from '@webpop/pop3';
import { environmentVariables } from './environment-options.js';
import { describeMailbox, type ResolvedMailboxOptions } from './options.js';

/** A TLS failure, with what to set when the server's certificate comes from a CA of your own. */
export class MailboxTlsError extends Pop3TlsError {
  override name = 'MailboxTlsError';
  constructor(cause: Pop3TlsError, settings: ResolvedMailboxOptions) {
    super(
      `mailbox: TLS with ${settings.host}:${settings.port} failed: ${cause.message}. If the server's ` +
        `certificate comes from your own CA, give that CA with caFile (or ${environmentVariables.caFile}) ` +
        `or ca; if the certificate names another host, set servername (or ${environmentVariables.servername}).`,
      { cause },
    );
  }
}

/** The server refused the login: names the user and the host (never the password). */
export class MailboxLoginError extends Pop3ServerError {
  override name = 'MailboxLoginError';
  constructor(cause: Pop3ServerError, settings: ResolvedMailboxOptions) {
    super(cause.command, cause.serverText, cause.code, cause.phase);
    this.message =
      `mailbox: ${describeMailbox(settings)} refused the login of ${JSON.stringify(settings.username)} ` +
      `(${cause.message}). Check the username and the ${settings.accessToken ? 'access token' : 'password'} ` +
      `(use.mailbox or ${environmentVariables.username} / ` +
      `${settings.accessToken ? environmentVariables.accessToken : environmentVariables.password}).`;
    this.cause = cause;
  }
}

/** The engine's error, explained where the fix is a setting of this package. */
export function explainConnectionError(error: unknown, settings: ResolvedMailboxOptions): unknown {
  if (error instanceof Pop3TlsError && !(error instanceof MailboxTlsError)) {
    return new MailboxTlsError(error, settings);
  }
  if (
    error instanceof Pop3ServerError &&
    !(error instanceof MailboxLoginError) &&
    error.phase === 'login' &&
    !isRetryable(error.code)
  ) {
    return new MailboxLoginError(error, settings);
  }
  return error;
}
