import {
  isLoginRefusal,
  Pop3Error,
  Pop3LoginError,
  Pop3SecurityError,
  Pop3ServerError,
  type RefusalCode,
} from '@webpop/pop3';
import { SmtpError } from '@webpop/smtp';
import type { ConnectionArgs } from './args.js';
import { certificateSentence, type CertificateDetails } from './certificate.js';
import { describeSmtpError } from './send/describe.js';

/**
 * One line, in words, saying what went wrong: the text after `webpop: `. Server text in it is made
 * harmless for a terminal: control characters (C0, DEL, C1, which could be escape sequences) and
 * bidirectional overrides become `?`.
 */
export function describeError(
  error: unknown,
  args?: ConnectionArgs,
  /** The certificate a TLS failure refused, when it could be read (see certificate.ts). */
  certificate?: CertificateDetails,
): string {
  return describe(error, args, certificate).replace(TERMINAL_UNSAFE, '?');
}

// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function describe(error: unknown, args?: ConnectionArgs, certificate?: CertificateDetails): string {
  const where = args ? `${args.host}:${args.port}` : 'the server';
  if (error instanceof Pop3ServerError) return describeServerError(error, args);
  if (error instanceof SmtpError)
    return describeSmtpError(error, args, (cause) => describe(cause, args, certificate));
  if (error instanceof Pop3Error) {
    switch (error.kind) {
      case 'security':
        if (error instanceof Pop3SecurityError && error.reason === 'plaintext') {
          return (
            `${error.message.split(';')[0]}. Use --security tls or --security starttls if the server supports it ` +
            '(see webpop capa), or pass --allow-plaintext if you accept that anyone on the network can read the password'
          );
        }
        return `refused for safety: ${error.message}`;
      case 'tls':
        if (
          /wrong version number|packet length too long|unknown protocol/i.test(error.message) &&
          args?.security === 'tls'
        ) {
          return (
            `TLS problem: ${error.message} (the server did not answer in TLS: if this port starts plain and ` +
            'offers STLS, as port 110 does, use --security starttls)'
          );
        }
        return (
          `${certificateHint(error)}${error.message}` +
          `${certificate ? certificateSentence(certificate) : ''}${tlsAdvice(args)}`
        );
      case 'timeout':
        if (/^greeting\b/.test(error.message) && args !== undefined && args.security !== 'tls') {
          return (
            `timed out: ${error.message} (a server that expects TLS from the first byte, as on port 995, ` +
            'says nothing to a plain connection: try --security tls)'
          );
        }
        return `timed out: ${error.message}` + ` (--timeout SECONDS to wait longer)`;
      case 'closed':
        return /^cannot connect/.test(error.message)
          ? error.message
          : `connection lost: ${error.message} (run the command again to reconnect)`;
      case 'protocol':
        return `the server at ${where} does not speak POP3 as expected: ${error.message}`;
      case 'unsupported':
        return `the server at ${where} cannot do this: ${error.message}`;
      case 'integrity':
        return `integrity error: ${error.message}`;
      case 'aborted':
        return 'interrupted';
      default:
        return error.message;
    }
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function describeServerError(error: Pop3ServerError, args?: ConnectionArgs): string {
  const said = `the server said: ${error.serverText ? JSON.stringify(error.serverText) : '(no text)'}`;
  const code = error.code?.toUpperCase();
  const tag = code ? ` [${code}]` : '';
  if (error.phase === 'greeting') {
    return `the server refused the connection${tag}: ${said}`;
  }
  const refusal = isLoginRefusal(code) ? refusals[code] : undefined;
  if (refusal) return `${refusal}: ${said}`;
  switch (error.phase) {
    case 'login': {
      const user = args?.user ? ` for user ${args.user}` : '';
      if (error instanceof Pop3LoginError) {
        const tried = error.attempts.map(({ method }) => method.toUpperCase()).join(', ');
        const last = error.serverText ? JSON.stringify(error.serverText) : '(no text)';
        return `login failed${user}${tag}: the server refused every method tried (${tried}); to the last it said: ${last}`;
      }
      return `login failed${user}${tag} (wrong user name or password?): ${said}`;
    }
    case 'transaction':
      return `${error.command} failed${tag}: ${said}`;
  }
}

/** Words for the refusal codes; AUTH has none here: it reads as any other failed login. */
const refusals: Readonly<Record<RefusalCode, string | undefined>> = {
  AUTH: undefined,
  'IN-USE':
    'the mailbox is locked by another session [IN-USE] (another mail program may be reading it; try again when it is done)',
  'LOGIN-DELAY':
    'logged in too soon after the last login [LOGIN-DELAY]: the server allows a login only every so often; try again later',
  'SYS/TEMP': 'the server has a temporary problem [SYS/TEMP]; try again later',
  'SYS/PERM': 'the server has a permanent problem [SYS/PERM]',
};

/** What to try next after a TLS failure, given what the command line already tried. */
function tlsAdvice(args: ConnectionArgs | undefined): string {
  if (args?.fingerprint !== undefined) {
    return ' (if the server has a new certificate, check it another way before pinning its fingerprint)';
  }
  return args?.caFile === undefined
    ? ' (if the server uses a private CA, trust it with --ca FILE, or pin its certificate with --fingerprint SHA256)'
    : '';
}

function certificateHint(error: Error): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? '';
  if (/PIN_MISMATCH/.test(code)) return 'certificate problem (not the one pinned with --fingerprint): ';
  if (/HOSTNAME|ALTNAME/i.test(code + error.message)) return 'certificate problem (wrong host name): ';
  if (/EXPIRED/i.test(code)) return 'certificate problem (expired): ';
  if (/CERT|SELF_SIGNED|UNABLE_TO/i.test(code)) return 'certificate problem (not trusted): ';
  return 'TLS problem: ';
}
