import type { EnhancedStatus } from '../errors.js';

/** One SMTP reply (RFC 5321 section 4.2): a three-digit code and one or more lines of text. */
export interface Reply {
  readonly code: number;
  /** Each line's text after the code and separator, enhanced status code removed. */
  readonly lines: readonly string[];
  /** The RFC 3463 code the first line starts with (RFC 2034), when its class matches the reply's. */
  readonly enhancedStatus: EnhancedStatus | undefined;
}

/** The reply's text for people: its lines joined by a newline. */
export function replyText(reply: Reply): string {
  return reply.lines.join('\n');
}

const enhanced = /^([245])\.(\d{1,3})\.(\d{1,3})(?: |$)/;

/**
 * Splits an RFC 3463 enhanced status code off a reply line's text. Only a code whose class is the reply
 * code's first digit counts (RFC 2034 section 4), so a text that merely starts with a version number
 * ("2.3.4 ready" to a 554) is left alone.
 */
export function splitEnhancedStatus(
  code: number,
  text: string,
): { status: EnhancedStatus | undefined; text: string } {
  const match = enhanced.exec(text);
  if (!match || Number(match[1]) !== Math.floor(code / 100)) return { status: undefined, text };
  return {
    status: `${match[1]}.${Number(match[2])}.${Number(match[3])}` as EnhancedStatus,
    text: text.slice(match[0].length),
  };
}
