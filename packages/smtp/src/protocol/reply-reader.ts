import { BoundedLine } from '@webpop/wire';
import { SmtpProtocolError } from '../errors.js';
import { limits } from '../limits.js';
import { splitEnhancedStatus, type Reply } from './reply.js';

/** Receives whole replies in order. Called synchronously from `feed`. */
export interface ReplySink {
  /** A reply is awaited (a command was sent, or the greeting is due). */
  expectingReply(): boolean;
  reply(reply: Reply): void;
}

const LF = 0x0a;
const CR = 0x0d;
const HYPHEN = 0x2d;
const SPACE = 0x20;

const enum State {
  /** Between replies: the next byte starts a reply's first line. */
  Idle,
  /** Inside a reply line (its bytes are collected up to LF). */
  Line,
}

/**
 * A byte-level state machine that splits the server's byte stream into replies (RFC 5321 section 4.2).
 * It never assumes a network chunk is a line: a line ends at LF (a CR before it is dropped, so a server
 * that ends lines with a bare LF is read too), and may be split anywhere. A line is `ddd`, `ddd text`
 * (the last line of a reply) or `ddd-text` (more lines follow, with the same code). Lines are limited
 * to `limits.maxReplyLineBytes`, replies to `limits.maxReplyLines` lines.
 */
export class ReplyReader {
  private state = State.Idle;
  // The LF is not stored, so the limit (which counts CRLF) leaves it room.
  private readonly line = new BoundedLine(
    limits.maxReplyLineBytes - 1,
    () => new SmtpProtocolError(`the server's reply line is longer than ${limits.maxReplyLineBytes} bytes`),
    512,
  );
  private code = 0;
  private lines: string[] = [];
  private enhanced: Reply['enhancedStatus'];
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly sink: ReplySink) {}

  /** True while a reply has been started but not finished. */
  get midReply(): boolean {
    return this.state !== State.Idle || this.lines.length > 0;
  }

  /** Forgets any partial reply (used when the byte stream is replaced, as at STARTTLS). */
  reset(): void {
    this.state = State.Idle;
    this.line.clear();
    this.lines = [];
  }

  /** Consumes a chunk; throws SmtpProtocolError when the stream is not SMTP. */
  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === State.Idle) {
        if (this.lines.length === 0 && !this.sink.expectingReply()) {
          throw new SmtpProtocolError('the server sent data that answers no command');
        }
        this.state = State.Line;
        this.line.clear();
      }
      const lineEnd = chunk.indexOf(LF, i);
      const end = lineEnd === -1 ? chunk.length : lineEnd;
      this.line.append(chunk.subarray(i, end));
      if (lineEnd === -1) return;
      i = lineEnd + 1;
      this.state = State.Idle;
      this.endLine();
    }
  }

  private endLine(): void {
    const line = this.line.view();
    const length = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    const bytes = line.subarray(0, length);
    const code = replyCode(bytes);
    const separator = bytes[3];
    if (code === undefined || (length > 3 && separator !== SPACE && separator !== HYPHEN)) {
      throw new SmtpProtocolError(
        `the server's reply is not SMTP: ${quote(clip(this.decoder.decode(bytes)))}`,
      );
    }
    if (this.lines.length > 0 && code !== this.code) {
      throw new SmtpProtocolError(
        `a multi-line reply changed its code from ${this.code} to ${code} (RFC 5321 section 4.2.1)`,
      );
    }
    if (this.lines.length >= limits.maxReplyLines) {
      throw new SmtpProtocolError(`the server's reply has more than ${limits.maxReplyLines} lines`);
    }
    const raw = length > 4 ? this.decoder.decode(bytes.subarray(4)) : '';
    const { status, text } = splitEnhancedStatus(code, raw);
    if (this.lines.length === 0) {
      this.code = code;
      this.enhanced = status;
    }
    this.lines.push(text);
    if (separator === HYPHEN) return;
    const reply: Reply = { code: this.code, lines: this.lines, enhancedStatus: this.enhanced };
    this.lines = [];
    this.sink.reply(reply);
  }
}

/** The three digits at a line's start (first 2-5, then 0-5, then 0-9: RFC 5321 section 4.2). */
function replyCode(bytes: Uint8Array): number | undefined {
  if (bytes.length < 3) return undefined;
  const [a, b, c] = [bytes[0]! - 0x30, bytes[1]! - 0x30, bytes[2]! - 0x30];
  if (a < 2 || a > 5 || b < 0 || b > 5 || c < 0 || c > 9) return undefined;
  return a * 100 + b * 10 + c;
}

/** The server's text in quotes, every control character escaped: safe on a terminal. */
function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
