import { concatBytes, latin1Text } from './bytes.js';
import { MailfileError } from './errors.js';
import { parseFromLine, type FromLine } from './from-line.js';
import { maxFromLineBytes } from './limits.js';
import { FROM_, GT, heldPrefix, LF } from './quoting.js';

/** What the decoder reads, in order: a message starts, some of its bytes, it ends. */
export type MboxEvent =
  | { readonly kind: 'start'; readonly from: FromLine }
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  | { readonly kind: 'end' };

type State =
  /** Before the first message: the file must start with `From `. */
  | 'file-start'
  /** Inside a `From ` line (its bytes in fromLine). */
  | 'from-line'
  /** Inside a message. */
  | 'body'
  | 'ended';

/**
 * Reads an mbox (mboxrd), streaming: push(chunk) any number of times, chunks split anywhere, then
 * end(); each returns the events read so far. A line starting with `From ` starts a message; in a
 * message, a line starting with `>+From ` loses one `>`; the blank line before a `From ` line (and
 * at the end of the file) is the separator, not part of the message. So decoding what
 * MboxrdEncoder wrote gives back each message byte for byte (one that lacked a final line break
 * has the LF the encoder added). Memory: one `From ` line at most, and a few bytes of a line start.
 *
 * Files from mboxo writers (which quote `From ` but not `>From `) decode with one `>` too few on
 * lines that were `>From ` before; there is no telling them apart from the bytes.
 */
export class MboxrdDecoder {
  private state: State = 'file-start';
  private fromLine: Uint8Array[] = [];
  private fromLineLength = 0;
  private atLineStart = true;
  private quoteCount = 0;
  private matched = 0;
  /** A blank line just read: the separator if a `From ` line or the end follows, else content. */
  private heldBlank = false;
  private events: MboxEvent[] = [];
  private data: Uint8Array[] = [];

  push(chunk: Uint8Array): MboxEvent[] {
    if (this.state === 'ended') throw new MailfileError('misuse', 'push() after end()');
    let at = 0;
    while (at < chunk.length) {
      switch (this.state) {
        case 'file-start':
          at = this.readFileStart(chunk, at);
          break;
        case 'from-line':
          at = this.readFromLine(chunk, at);
          break;
        case 'body':
          at = this.readBody(chunk, at);
          break;
      }
    }
    return this.take();
  }

  end(): MboxEvent[] {
    switch (this.state) {
      case 'ended':
        throw new MailfileError('misuse', 'end() twice');
      case 'file-start':
        if (this.matched > 0) throw notMbox();
        break;
      case 'from-line':
        this.startMessage();
        this.endMessage();
        break;
      case 'body':
        if (this.atLineStart && this.quoteCount + this.matched > 0) this.content(this.takePrefix());
        this.endMessage();
        break;
    }
    this.state = 'ended';
    return this.take();
  }

  private readFileStart(chunk: Uint8Array, at: number): number {
    if (chunk[at] !== FROM_[this.matched]) throw notMbox();
    this.matched++;
    if (this.matched === FROM_.length) this.beginFromLine();
    return at + 1;
  }

  private readFromLine(chunk: Uint8Array, at: number): number {
    const lineEnd = chunk.indexOf(LF, at);
    const stop = lineEnd === -1 ? chunk.length : lineEnd;
    this.fromLineLength += stop - at;
    if (this.fromLineLength > maxFromLineBytes) {
      throw new MailfileError(
        'from-line-too-long',
        `a From line longer than ${maxFromLineBytes} bytes: this is no mbox a mail program wrote`,
      );
    }
    this.fromLine.push(chunk.slice(at, stop));
    if (lineEnd === -1) return stop;
    this.startMessage();
    return lineEnd + 1;
  }

  private readBody(chunk: Uint8Array, at: number): number {
    if (!this.atLineStart) {
      const lineEnd = chunk.indexOf(LF, at);
      const stop = lineEnd === -1 ? chunk.length : lineEnd + 1;
      this.data.push(chunk.subarray(at, stop));
      if (lineEnd !== -1) this.atLineStart = true;
      return stop;
    }
    const byte = chunk[at]!;
    if (this.matched === 0 && byte === GT) {
      this.quoteCount++;
    } else if (byte === FROM_[this.matched]) {
      this.matched++;
      if (this.matched === FROM_.length) {
        if (this.quoteCount === 0) {
          this.matched = 0;
          this.heldBlank = false; // the separator
          this.endMessage();
          this.beginFromLine();
        } else {
          this.content(heldPrefix(this.quoteCount - 1, this.matched));
          this.quoteCount = 0;
          this.matched = 0;
          this.atLineStart = false;
        }
      }
    } else if (this.quoteCount === 0 && this.matched === 0 && byte === LF) {
      if (this.heldBlank) this.data.push(Uint8Array.of(LF));
      this.heldBlank = true;
    } else {
      this.content(this.takePrefix());
      this.data.push(Uint8Array.of(byte));
      this.atLineStart = byte === LF;
    }
    return at + 1;
  }

  private beginFromLine(): void {
    this.state = 'from-line';
    this.fromLine = [Uint8Array.from(FROM_)];
    this.fromLineLength = FROM_.length;
    this.matched = 0;
  }

  private startMessage(): void {
    this.events.push({ kind: 'start', from: parseFromLine(latin1Text(concatBytes(this.fromLine))) });
    this.fromLine = [];
    this.state = 'body';
    this.atLineStart = true;
    this.quoteCount = 0;
    this.matched = 0;
    this.heldBlank = false;
  }

  private endMessage(): void {
    this.flushData();
    this.events.push({ kind: 'end' });
  }

  /** Bytes that are the message's: a blank line held before them was content too. */
  private content(bytes: Uint8Array): void {
    if (this.heldBlank) {
      this.data.push(Uint8Array.of(LF));
      this.heldBlank = false;
    }
    this.data.push(bytes);
  }

  private takePrefix(): Uint8Array {
    const prefix = heldPrefix(this.quoteCount, this.matched);
    this.quoteCount = 0;
    this.matched = 0;
    return prefix;
  }

  private flushData(): void {
    const bytes = concatBytes(this.data);
    this.data = [];
    if (bytes.length > 0) this.events.push({ kind: 'data', bytes });
  }

  private take(): MboxEvent[] {
    if (this.state === 'body') this.flushData();
    const events = this.events;
    this.events = [];
    return events;
  }
}

function notMbox(): MailfileError {
  return new MailfileError('not-mbox', 'the file does not start with a "From " line, so it is no mbox');
}
