import { utf8 } from '@webpop/pop3/codec';
import type { CommandSpec } from '../connection.js';
import { SmtpMessageError } from '../errors.js';
import { limits } from '../limits.js';

/** RFC 3461 delivery status notification requests. */
export interface DsnOptions {
  /** Return the whole message or only its headers in a failure report. */
  readonly ret?: 'FULL' | 'HDRS';
  /** An envelope id the reports will quote (printable ASCII). */
  readonly envelopeId?: string;
  /** When to report, per recipient: `NEVER`, or any of SUCCESS, FAILURE, DELAY. */
  readonly notify?: 'NEVER' | ReadonlyArray<'SUCCESS' | 'FAILURE' | 'DELAY'>;
}

export interface MailParameters {
  /** RFC 1870 SIZE=, where the server offers SIZE. */
  readonly size: number | undefined;
  /** RFC 6152 BODY=8BITMIME. */
  readonly eightBit: boolean;
  /** RFC 6531 SMTPUTF8 (an address is not ASCII). */
  readonly smtpUtf8: boolean;
  readonly dsn: DsnOptions | undefined;
}

export function mailCommand(from: string, parameters: MailParameters): CommandSpec {
  const params: string[] = [];
  if (parameters.size !== undefined) params.push(`SIZE=${parameters.size}`);
  if (parameters.eightBit || parameters.smtpUtf8) params.push('BODY=8BITMIME');
  if (parameters.smtpUtf8) params.push('SMTPUTF8');
  if (parameters.dsn?.ret) params.push(`RET=${parameters.dsn.ret}`);
  if (parameters.dsn?.envelopeId !== undefined) params.push(`ENVID=${xtext(parameters.dsn.envelopeId)}`);
  const line = [`MAIL FROM:<${path(from, true)}>`, ...params].join(' ');
  return { line, name: 'MAIL FROM', timeout: 'mail' };
}

export function rcptCommand(to: string, dsn: DsnOptions | undefined): CommandSpec {
  const params: string[] = [];
  if (dsn?.notify) params.push(`NOTIFY=${dsn.notify === 'NEVER' ? 'NEVER' : dsn.notify.join(',')}`);
  // ORCPT's rfc822 type is for ASCII addresses; a UTF-8 one is sent without it.
  if (dsn && !/[\u0080-\uffff]/.test(to)) params.push(`ORCPT=rfc822;${xtext(to)}`);
  const line = [`RCPT TO:<${path(to, false)}>`, ...params].join(' ');
  return { line, name: `RCPT TO:<${to}>`, timeout: 'rcpt' };
}

/**
 * An address as a path: within 256 octets, no control characters, spaces, angle brackets (which would
 * end the path and start parameters or a second command), and with one `@` between a local part and a
 * domain. `''` is the null reverse-path, for MAIL only.
 */
function path(address: string, nullAllowed: boolean): string {
  if (address === '' && nullAllowed) return '';
  const ok =
    // eslint-disable-next-line no-control-regex
    !/[\x00-\x20\x7f<>]/.test(address) &&
    /^[^@]+@[^@]+$/.test(address.replace(/^".*"(?=@)/, 'q')) &&
    utf8(address).length <= limits.maxPathBytes;
  if (!ok)
    throw new SmtpMessageError(`not an address SMTP can carry: ${JSON.stringify(address.slice(0, 100))}`);
  return address;
}

/** RFC 3461 section 4: xtext, every byte outside `!`..`~` and `+` and `=` as `+HH`. */
export function xtext(text: string): string {
  let out = '';
  for (const byte of utf8(text)) {
    out +=
      byte >= 0x21 && byte <= 0x7e && byte !== 0x2b && byte !== 0x3d
        ? String.fromCharCode(byte)
        : `+${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
