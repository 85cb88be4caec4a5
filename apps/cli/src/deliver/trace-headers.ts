import { hostname } from 'node:os';

/** Who the message was fetched for and from where: what `--add-headers` writes. */
export interface TraceContext {
  /** The POP3 login name. */
  readonly user: string;
  /** The POP3 server. */
  readonly host: string;
  /** `webpop <version>`. */
  readonly agent: string;
  /** This machine's name (by default os.hostname()). */
  readonly localHost?: string;
}

/**
 * `Delivered-To:` and `Received:` lines (CRLF), as getmail and fetchmail add on delivery, to go
 * before the message's own header: the mailbox it was fetched for (the login name, with `@host`
 * when it has no `@`) and a Received trace field (RFC 5321, section 4.4) saying it came from the
 * server over POP3, at `now`. Control characters of the names become `?`, so nothing can end a
 * line early and inject a header.
 */
export function traceHeaders(context: TraceContext, now: Date): Buffer {
  const mailbox = clean(context.user.includes('@') ? context.user : `${context.user}@${context.host}`);
  const by = clean(context.localHost ?? hostname()) || 'localhost';
  return Buffer.from(
    `Delivered-To: ${mailbox}\r\n` +
      `Received: from ${clean(context.host)} by ${by} with POP3 (${clean(context.agent)})\r\n` +
      `\tfor <${mailbox}>; ${rfc5322Date(now)}\r\n`,
    'utf8',
  );
}

/**
 * Whether `prefix` is nothing but Delivered-To and Received fields (with their folded lines):
 * what --add-headers put before a message. A saved file that is such a prefix followed by the
 * message's exact bytes holds that message whole.
 */
export function isTracePrefix(prefix: Uint8Array): boolean {
  if (prefix.length === 0) return false;
  const text = Buffer.from(prefix).toString('latin1');
  return /^(?:(?:Delivered-To|Received):[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*)+$/i.test(text);
}

/** `Tue, 01 Dec 2026 19:30:00 +0000` (RFC 5322, section 3.3), in UTC. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
