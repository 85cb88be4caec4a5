import { latin1Bytes } from './bytes.js';
import { MailfileError } from './errors.js';
import { maxFromLineBytes, unknownSender } from './limits.js';

/** What a message's `From ` line says: the envelope sender and when it arrived. */
export interface Envelope {
  /** The envelope sender (an address such as Return-Path's); MAILER-DAEMON when absent or unusable. */
  readonly sender?: string | undefined;
  /** When the message arrived (or was written); shown in UTC. */
  readonly date: Date;
  /**
   * The `From ` line a message had in an mbox it was read from (`FromLine.line`, without its line
   * break): written again as it was, so a mailbox read and written again is the same file. Used
   * only when it is one line of Latin-1 starting with `From `; else sender and date make the line.
   */
  readonly line?: string | undefined;
}

/** A `From ` line as read back: the sender, the date text, and the date when it parses. */
export interface FromLine {
  readonly sender: string;
  /** The text after the sender, as written (asctime: `Tue Dec  1 12:44:33 2026`). */
  readonly dateText: string;
  /** dateText read as an asctime in UTC; undefined when it is no such date. */
  readonly date: Date | undefined;
  /** The whole line without its line break (Latin-1, one character per byte). */
  readonly line: string;
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `date` in asctime form, UTC, as mbox `From ` lines carry it: `Tue Dec  1 12:44:33 2026`. */
export function asctime(date: Date): string {
  if (Number.isNaN(date.getTime()))
    throw new MailfileError('invalid-date', 'the envelope date is not a valid date');
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${days[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${date.getUTCFullYear()}`
  );
}

/**
 * The sender as it may stand in a `From ` line: one word of printable ASCII (a space would make
 * the date unreadable, a line break would end the line). Anything else becomes MAILER-DAEMON.
 */
export function fromLineSender(sender: string | undefined): string {
  return sender !== undefined && /^[\x21-\x7e]{1,998}$/.test(sender) ? sender : unknownSender;
}

/** The `From ` line that starts a message in an mbox, with its LF. */
export function formatFromLine(envelope: Envelope): Uint8Array {
  if (envelope.line !== undefined && isFromLine(envelope.line)) return latin1Bytes(`${envelope.line}\n`);
  return latin1Bytes(`From ${fromLineSender(envelope.sender)} ${asctime(envelope.date)}\n`);
}

/** One line of Latin-1 text that starts with `From ` (no line break, at most `maxFromLineBytes`). */
function isFromLine(line: string): boolean {
  // eslint-disable-next-line no-control-regex -- a tab may stand in a From line, a line break may not
  return line.length < maxFromLineBytes && /^From [^\r\n\u0000\u0100-\uffff]*$/.test(line);
}

const asctimePattern =
  /^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\d{4})/;

/** Reads a `From ` line (without its line break; a trailing CR is dropped). */
export function parseFromLine(line: string): FromLine {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const rest = text.slice('From '.length);
  const space = rest.indexOf(' ');
  const sender = space === -1 ? rest : rest.slice(0, space);
  const dateText = space === -1 ? '' : rest.slice(space + 1).trim();
  return { sender, dateText, date: parseAsctime(dateText), line: text };
}

function parseAsctime(text: string): Date | undefined {
  const match = asctimePattern.exec(text);
  if (!match) return undefined;
  const [, month, day, hours, minutes, seconds, year] = match;
  const date = new Date(
    Date.UTC(
      Number(year),
      months.indexOf(month as (typeof months)[number]),
      Number(day),
      Number(hours),
      Number(minutes),
      Number(seconds),
    ),
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
}
