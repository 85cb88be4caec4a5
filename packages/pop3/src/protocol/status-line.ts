import type { ResponseCode } from '../errors.js';

/** The first line of every POP3 reply. */
export interface StatusLine {
  /** `+` is a SASL continuation (RFC 5034); it only appears during AUTH. */
  readonly indicator: '+OK' | '-ERR' | '+';
  /** What follows the indicator and the response code. */
  readonly text: string;
  /** RFC 2449 response code, upper-cased (`IN-USE`, `SYS/TEMP` …). */
  readonly code: ResponseCode | undefined;
}

const codePattern = /^\[([A-Za-z0-9/-]+)\]\s?/;

/** Parses a status line without its line end; returns undefined when it is not a POP3 status line. */
export function parseStatusLine(line: string, allowContinuation: boolean): StatusLine | undefined {
  const match = /^(\+OK|-ERR|\+)(?: (.*)|)$/is.exec(line);
  if (!match) return undefined;
  const indicator = match[1]!.toUpperCase() as StatusLine['indicator'];
  if (indicator === '+' && !allowContinuation) return undefined;
  let text = match[2] ?? '';
  if (indicator === '+') return { indicator, text, code: undefined };
  const code = codePattern.exec(text);
  if (code) text = text.slice(code[0].length);
  return { indicator, text, code: code ? code[1]!.toUpperCase() : undefined };
}

/**
 * The APOP timestamp of a greeting, if the server offers APOP: the first `<local@domain>` made of
 * printable ASCII (RFC 1939 calls it an RFC 822 msg-id), so `<\xFC@x> <1@a.b>` gives `<1@a.b>`
 * (Thunderbird's test). One pass, linear in the greeting: a regular expression backtracked
 * quadratically on a 65,000-byte greeting of `<@@@…` (7 s of CPU, a frozen tab).
 */
export function apopTimestamp(greetingText: string): string | undefined {
  let start = -1;
  let at = -1;
  for (let i = 0; i < greetingText.length; i++) {
    const code = greetingText.charCodeAt(i);
    if (code === 0x3c /* < */) {
      start = i;
      at = -1;
    } else if (start === -1) {
      continue;
    } else if (code === 0x3e /* > */) {
      if (at !== -1 && at < i - 1) return greetingText.slice(start, i + 1);
      start = -1;
    } else if (code === 0x40 /* @ */) {
      // The first @ with something before it; whether something follows it is known at `>`.
      if (at === -1 && i > start + 1) at = i;
    } else if (code <= 0x20 || code >= 0x7f) {
      start = -1;
    }
  }
  return undefined;
}
