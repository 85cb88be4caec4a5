import { SmtpError, SmtpSecurityError, SmtpServerError } from '@webpop/smtp';
import type { ConnectionArgs } from '../args.js';

/**
 * An SMTP engine error in words, for `webpop: …`. `describeCause` words the POP3-engine error a
 * shared transport raised (its certificate hints are the same for both protocols).
 */
export function describeSmtpError(
  error: SmtpError,
  args: ConnectionArgs | undefined,
  describeCause: (cause: unknown) => string,
): string {
  const where = args ? `${args.host}:${args.port}` : 'the server';
  if (error instanceof SmtpServerError) return describeServerError(error, args);
  switch (error.kind) {
    case 'security':
      if (error instanceof SmtpSecurityError && error.reason === 'plaintext') {
        return (
          'refusing to send the password in clear over a connection without TLS. Use --security starttls ' +
          '(port 587) or --security tls (port 465), or pass --allow-plaintext if you accept that anyone on ' +
          'the network can read the password'
        );
      }
      return `refused for safety: ${error.message}`;
    case 'tls':
      if (/wrong version number|packet length too long|unknown protocol/i.test(error.message)) {
        return (
          `TLS problem: ${error.message} (the server did not answer in TLS: if this port starts plain and ` +
          'offers STARTTLS, as port 587 does, use --security starttls)'
        );
      }
      return error.cause === undefined ? `TLS problem: ${error.message}` : describeCause(error.cause);
    case 'timeout':
      if (/^greeting\b/i.test(error.message) && args !== undefined && args.security !== 'tls') {
        return (
          `timed out: ${error.message} (a server that expects TLS from the first byte, as on port 465, ` +
          'says nothing to a plain connection: try --security tls)'
        );
      }
      return `timed out: ${error.message} (--timeout SECONDS to wait longer)`;
    case 'closed':
      return /^cannot connect/.test(error.message)
        ? error.message
        : `connection lost: ${error.message} (the message was not delivered; run the command again)`;
    case 'protocol':
      return `the server at ${where} does not speak SMTP as expected: ${error.message}`;
    case 'unsupported':
    case 'size':
      return `the server at ${where} cannot take this message: ${error.message}`;
    case 'aborted':
      return 'interrupted';
    case 'outcome-unknown': {
      const cause = error.cause instanceof Error ? `${error.cause.message}, ` : '';
      return (
        `the server may have accepted the message: ${cause}after the whole message was sent and before ` +
        "the server answered. Check the recipient's mailbox before sending again (running the command " +
        'again may deliver it twice)'
      );
    }
    default:
      return error.message;
  }
}

function describeServerError(error: SmtpServerError, args: ConnectionArgs | undefined): string {
  const said = `the server said: ${error.code}${error.enhancedStatus ? ` ${error.enhancedStatus}` : ''} ${
    error.serverText ? JSON.stringify(error.serverText) : '(no text)'
  }`;
  const later = error.transient ? ' (a temporary refusal: try again later)' : '';
  switch (error.phase) {
    case 'greeting':
      return `the server refused the connection: ${said}${later}`;
    case 'auth':
      return `login failed${args?.user ? ` for user ${args.user}` : ''} (wrong user name or password?): ${said}${later}`;
    case 'mail':
      return `the server refused the sender (MAIL FROM): ${said}${later}`;
    case 'data':
    case 'message':
      return `the server refused the message (nothing was delivered): ${said}${later}`;
    default:
      return `${error.command} failed: ${said}${later}`;
  }
}
