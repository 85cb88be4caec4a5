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

/** The APOP timestamp (`<…@…>`) of a greeting, if the server offers APOP. */
export function apopTimestamp(greetingText: string): string | undefined {
  return /<[^<>\s]+@[^<>\s]+>/.exec(greetingText)?.[0];
}
