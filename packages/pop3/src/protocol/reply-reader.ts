import { BoundedLine } from '@webpop/wire';
import { Pop3ProtocolError } from '../errors.js';
import { limits } from '../limits.js';
import { parseStatusLine, type StatusLine } from './status-line.js';

/**
 * What the reader should expect next:
 * - `single`: one status line;
 * - `multi`: a status line, and after `+OK` a dot-terminated body;
 * - `sasl`: one status line that may also be a `+ ` continuation;
 * - `detect`: a status line, and after `+OK` either a body or nothing, told apart by what follows
 *   (for a command typed in a console whose reply shape nobody can know beforehand, such as HELP).
 *   The next line decides: another status line (`+OK` or `-ERR` followed by a space or the line end)
 *   means the reply was one line and that line belongs to the next command; anything else is a body.
 *   The sender must make sure a next reply comes (see Pop3Connection's probe).
 */
export type ReplyKind = 'single' | 'multi' | 'sasl' | 'detect';

/** Receives the parts of replies in order. Called synchronously from `feed`. */
export interface ReplySink {
  /** The kind of the next reply, or undefined when no command is waiting for one. */
  nextReplyKind(): ReplyKind | undefined;
  status(line: StatusLine): void;
  /** Body bytes of a multi-line reply, dot-unstuffed. The view is only valid during the call. */
  body(chunk: Uint8Array): void;
  /** The terminating `.` line of a multi-line reply was read. */
  end(): void;
  /** For a `detect` reply after `+OK`: whether a body follows (the bytes that told are passed on next). */
  detected?(multiLine: boolean): void;
}

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;

const enum State {
  /** Between replies: the next byte starts a status line. */
  Idle,
  Status,
  /** Inside a body line. */
  BodyMid,
  /** At the first byte of a body line. */
  BodyLineStart,
  /** A body line began with `.`. */
  BodyDot,
  /** A body line began with `.` CR. */
  BodyDotCr,
  /** After `+OK` to a `detect` command: the first bytes of the next line decide the reply's shape. */
  DetectPeek,
}

/** Line starts that make the line after a `detect` reply's `+OK` a status line, not a body. */
const statusStarts = ['+OK', '-ERR'].map((start) => [...start].map((c) => c.charCodeAt(0)));
const SPACE = 0x20;

/**
 * Whether the first `length` bytes of a line make it a status line (`status`), cannot (`body`), or
 * do not tell yet (`open`). Case-insensitive like status lines themselves.
 */
function lineStartVerdict(bytes: Uint8Array, length: number): 'status' | 'body' | 'open' {
  let open = false;
  for (const start of statusStarts) {
    let matches = true;
    for (let k = 0; k < Math.min(length, start.length) && matches; k++) {
      matches = lowerAscii(bytes[k]!) === lowerAscii(start[k]!);
    }
    if (!matches) continue;
    if (length <= start.length) open = true;
    else if ([SPACE, CR, LF].includes(bytes[start.length]!)) return 'status';
  }
  return open ? 'open' : 'body';
}

function lowerAscii(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
}

/**
 * How the server ends its lines, decided once per session from the first status line (the greeting):
 * - `crlf`: as RFC 1939 says. Only CRLF ends a line, so only a dot after CRLF is stuffing or the
 *   terminator; a bare LF inside a body is data. A body holding `\n.\r\n+OK …` can neither end its
 *   reply nor start the next one.
 * - `lf`: the server ends every line, the greeting included, with a bare LF (such servers exist); then
 *   every LF starts a line, as the server means it.
 * Never decided per line from what a body contains: that is what a forged body would exploit.
 */
export type LineEnding = 'undecided' | 'crlf' | 'lf';

const dotCr = new Uint8Array([CR]);

/**
 * A byte-level state machine that splits the server's byte stream into replies. It never assumes that a
 * network chunk is a line: line ends, the terminator and stuffed dots may be split anywhere.
 * Body lines have no length limit; status lines are limited to `limits.maxStatusLineBytes`.
 */
export class ReplyReader {
  private state = State.Idle;
  private readonly status = new BoundedLine(
    limits.maxStatusLineBytes,
    () => new Pop3ProtocolError(`the server's status line is longer than ${limits.maxStatusLineBytes} bytes`),
  );
  private kind: ReplyKind = 'single';
  private lineEndingValue: LineEnding = 'undecided';
  /** In a body, the last byte passed on was a CR: an LF now ends the line (in a `crlf` session). */
  private afterCr = false;
  private readonly decoder = new TextDecoder('utf-8');
  /** The bytes read in DetectPeek (at most `-ERR` and one more). */
  private readonly peek = new Uint8Array(5);
  private peekLength = 0;

  constructor(private readonly sink: ReplySink) {}

  /** True while a reply has been started but not finished. */
  get midReply(): boolean {
    return this.state !== State.Idle;
  }

  /** How this session's server ends lines; `undecided` until its first status line is complete. */
  get lineEnding(): LineEnding {
    return this.lineEndingValue;
  }

  /** Forgets any partial reply (used when the byte stream is replaced, as at STLS). */
  reset(): void {
    this.state = State.Idle;
    this.status.clear();
    this.peekLength = 0;
  }

  /** Consumes a chunk; throws Pop3ProtocolError when the stream is not POP3. */
  feed(chunk: Uint8Array): void {
    let i = 0;
    const length = chunk.length;
    while (i < length) {
      switch (this.state) {
        case State.Idle: {
          const kind = this.sink.nextReplyKind();
          if (kind === undefined) {
            throw new Pop3ProtocolError('the server sent data that answers no command');
          }
          this.kind = kind;
          this.status.clear();
          this.state = State.Status;
          break;
        }
        case State.Status:
          i = this.readStatus(chunk, i);
          break;
        case State.BodyLineStart:
          if (chunk[i] === DOT) {
            this.state = State.BodyDot;
            i++;
          } else {
            this.afterCr = false;
            i = this.readBody(chunk, i);
          }
          break;
        case State.BodyMid:
          i = this.readBody(chunk, i);
          break;
        case State.BodyDot: {
          const byte = chunk[i]!;
          if (byte === CR) {
            this.state = State.BodyDotCr;
            i++;
          } else if (byte === LF && this.lineEndingValue === 'lf') {
            // `.` LF: the terminator of a server whose lines end in a bare LF.
            i++;
            this.finishBody();
          } else {
            // A stuffed line: the first dot is dropped, the rest of the line is data (RFC 1939, section 3;
            // in a CRLF session `.` LF is such a line too, since only CRLF ends a line).
            this.afterCr = false;
            this.state = State.BodyMid;
          }
          break;
        }
        case State.DetectPeek:
          this.peek[this.peekLength++] = chunk[i++]!;
          this.detectFromPeek();
          break;
        case State.BodyDotCr:
          if (chunk[i] === LF) {
            i++;
            this.finishBody();
          } else {
            // The line was ".\r" followed by more data: a stuffed line holding a lone CR.
            this.sink.body(dotCr);
            this.afterCr = true;
            this.state = State.BodyMid;
          }
          break;
      }
    }
  }

  private readStatus(chunk: Uint8Array, start: number): number {
    const lineEnd = chunk.indexOf(LF, start);
    const end = lineEnd === -1 ? chunk.length : lineEnd;
    this.status.append(chunk.subarray(start, end));
    if (lineEnd === -1) return chunk.length;

    const line = this.status.view();
    const endsInCrlf = line.length > 0 && line[line.length - 1] === CR;
    if (this.lineEndingValue === 'undecided') this.lineEndingValue = endsInCrlf ? 'crlf' : 'lf';
    const text = this.decoder.decode(endsInCrlf ? line.subarray(0, line.length - 1) : line);
    const status = parseStatusLine(text, this.kind === 'sasl');
    if (!status) {
      throw new Pop3ProtocolError(`the server's reply is neither +OK nor -ERR: ${quote(clip(text))}`);
    }
    const bodyFollows = this.kind === 'multi' && status.indicator === '+OK';
    const shapeOpen = this.kind === 'detect' && status.indicator === '+OK';
    this.state = bodyFollows ? State.BodyLineStart : shapeOpen ? State.DetectPeek : State.Idle;
    this.peekLength = 0;
    this.sink.status(status);
    return lineEnd + 1;
  }

  /**
   * Decides a `detect` reply's shape once the peeked bytes tell, then feeds those bytes again to the
   * state they belong to: the next reply's status line, or the first body line.
   */
  private detectFromPeek(): void {
    const verdict = lineStartVerdict(this.peek, this.peekLength);
    if (verdict === 'open') return;
    const held = this.peek.slice(0, this.peekLength);
    this.peekLength = 0;
    const multiLine = verdict === 'body';
    this.state = multiLine ? State.BodyLineStart : State.Idle;
    this.afterCr = false;
    this.sink.detected?.(multiLine);
    this.feed(held);
  }

  /**
   * Emits body bytes up to the next line that starts with a dot (or the chunk's end) as one view,
   * so a large message costs one call per chunk, not one per line. In a `crlf` session an LF ends a
   * line only after a CR (which may have come in the previous chunk: `afterCr`).
   */
  private readBody(chunk: Uint8Array, start: number): number {
    const anyLf = this.lineEndingValue === 'lf';
    let i = start;
    for (;;) {
      const lineEnd = chunk.indexOf(LF, i);
      if (lineEnd === -1) {
        this.emit(chunk, start, chunk.length);
        if (chunk.length > start) this.afterCr = chunk[chunk.length - 1] === CR;
        this.state = State.BodyMid;
        return chunk.length;
      }
      const endsLine = anyLf || (lineEnd > start ? chunk[lineEnd - 1] === CR : this.afterCr);
      i = lineEnd + 1;
      if (!endsLine) continue;
      if (i === chunk.length) {
        this.emit(chunk, start, i);
        this.state = State.BodyLineStart;
        return i;
      }
      if (chunk[i] === DOT) {
        this.emit(chunk, start, i);
        this.state = State.BodyDot;
        return i + 1;
      }
    }
  }

  private emit(chunk: Uint8Array, start: number, end: number): void {
    if (end > start) this.sink.body(chunk.subarray(start, end));
  }

  private finishBody(): void {
    this.state = State.Idle;
    this.sink.end();
  }
}

/** The server's text in quotes, every control character (C0, DEL, C1) escaped: safe on a terminal. */
function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
