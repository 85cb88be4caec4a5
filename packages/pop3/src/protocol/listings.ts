import { Pop3ProtocolError } from '../errors.js';

export interface MessageSize {
  readonly number: number;
  /** Size in octets as the server reports it (RFC 1939: of the message with CRLF line ends). */
  readonly size: number;
}

export interface MessageUid {
  readonly number: number;
  /** The server's unique id (1 to 70 printable characters, RFC 1939). */
  readonly uid: string;
}

export interface Stat {
  readonly count: number;
  readonly size: number;
}

const decoder = new TextDecoder();

/** Splits a multi-line body into its non-empty lines. */
export function bodyLines(body: Uint8Array): string[] {
  return decoder
    .decode(body)
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
}

function twoFields(line: string, command: string): [number, string] {
  const match = /^\s*(\d+)\s+(\S+)/.exec(line);
  if (!match) throw new Pop3ProtocolError(`${command}: malformed line ${JSON.stringify(line.slice(0, 80))}`);
  return [Number(match[1]), match[2]!];
}

function toSize(value: string, command: string): number {
  if (!/^\d+$/.test(value))
    throw new Pop3ProtocolError(`${command}: size ${JSON.stringify(value)} is not a number`);
  return Number(value);
}

export function parseSizeLine(line: string, command: string): MessageSize {
  const [number, size] = twoFields(line, command);
  return { number, size: toSize(size, command) };
}

export function parseUidLine(line: string, command: string): MessageUid {
  const [number, uid] = twoFields(line, command);
  return { number, uid };
}

export function parseStat(text: string): Stat {
  const [count, size] = twoFields(text, 'STAT');
  return { count, size: toSize(size, 'STAT') };
}

/**
 * Whether a retrieved message has the size LIST announced (RFC 1939: octets with CRLF line ends):
 * exactly, or with the CRLF a server adds to a message that does not end with one; on a server that
 * sends bare LFs, the same with every bare LF counted as CRLF.
 */
export function sizeAgreesWithListing(bytes: Uint8Array, listed: number): boolean {
  const withCrlf = crlfLength(bytes);
  for (const length of new Set([bytes.length, withCrlf])) {
    if (length === listed) return true;
    if (length === listed + 2 && bytes[bytes.length - 1] === 0x0a) return true;
  }
  return false;
}

/** The length of the bytes with every bare LF counted as CRLF. */
function crlfLength(bytes: Uint8Array): number {
  let length = bytes.length;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) {
    if (at === 0 || bytes[at - 1] !== 0x0d) length++;
  }
  return length;
}

/**
 * The header part of a message and the first `lines` lines of its body, as TOP would return them;
 * used when a server has no TOP and the whole message came by RETR.
 */
export function topOf(message: Uint8Array, lines: number): Uint8Array {
  let index = 0;
  let inBody = false;
  let bodyLinesLeft = lines;
  while (index < message.length) {
    if (inBody && bodyLinesLeft-- === 0) return message.subarray(0, index);
    const lineEnd = message.indexOf(0x0a, index);
    const next = lineEnd === -1 ? message.length : lineEnd + 1;
    const lineLength = next - index;
    if (!inBody && (lineLength === 1 || (lineLength === 2 && message[index] === 0x0d))) inBody = true;
    index = next;
  }
  return message;
}
