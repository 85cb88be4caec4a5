import { concatBytes } from './bytes.js';
import { MailfileError } from './errors.js';
import { formatFromLine, type Envelope } from './from-line.js';
import { FROM_, GT, heldPrefix, LF } from './quoting.js';

/**
 * Writes messages into an mbox in the mboxrd variant, streaming: each message is a `From ` line,
 * its bytes with every line that starts with `>*From ` quoted by one more `>` (so reading strips
 * exactly one and gives the bytes back, unlike mboxo, which loses `>From `), then a blank line.
 * A message that does not end in a line break gets an LF first (every POP3 message ends in CRLF).
 * Line endings inside a message are kept as they are (CRLF stays CRLF); the separators are LF.
 *
 * Call begin(envelope), then write(chunk) any number of times (chunks may split anywhere, even
 * inside `From `), then end(); each returns the bytes to append. State per message: whether the
 * current line is still a possible `>*From ` prefix, how many `>` it has, how much of `From ` matched.
 */
export class MboxrdEncoder {
  private inMessage = false;
  /** At a line start, reading a possible `>*From ` prefix: held back until it is decided. */
  private atLineStart = true;
  private quoteCount = 0;
  private matched = 0;
  /** The last byte written of the current message's content (LF when none yet). */
  private lastByte = LF;
  private wroteContent = false;

  /** Starts a message: returns its `From ` line. */
  begin(envelope: Envelope): Uint8Array {
    if (this.inMessage)
      throw new MailfileError('misuse', 'begin() while a message is open: call end() first');
    const line = formatFromLine(envelope);
    this.inMessage = true;
    this.atLineStart = true;
    this.quoteCount = 0;
    this.matched = 0;
    this.lastByte = LF;
    this.wroteContent = false;
    return line;
  }

  /** Part of the current message's bytes; returns them quoted (a possible `From ` prefix is held back). */
  write(chunk: Uint8Array): Uint8Array {
    if (!this.inMessage) throw new MailfileError('misuse', 'write() outside a message: call begin() first');
    const out: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (!this.atLineStart) {
        const lineEnd = chunk.indexOf(LF, at);
        const stop = lineEnd === -1 ? chunk.length : lineEnd + 1;
        out.push(chunk.subarray(at, stop));
        at = stop;
        if (lineEnd !== -1) this.startLine();
        continue;
      }
      const byte = chunk[at++]!;
      if (this.matched === 0 && byte === GT) {
        this.quoteCount++;
      } else if (byte === FROM_[this.matched]) {
        this.matched++;
        if (this.matched === FROM_.length) {
          out.push(Uint8Array.of(GT), this.takePrefix());
          this.atLineStart = false;
        }
      } else {
        out.push(this.takePrefix(), Uint8Array.of(byte));
        if (byte === LF) this.startLine();
        else this.atLineStart = false;
      }
    }
    return this.emit(out);
  }

  /** Ends the current message: the held-back prefix, a line break if it lacked one, the blank line. */
  end(): Uint8Array {
    if (!this.inMessage) throw new MailfileError('misuse', 'end() outside a message');
    const out = this.atLineStart ? [this.takePrefix()] : [];
    const tail = this.emit(out);
    this.inMessage = false;
    const lineBreak = this.wroteContent && this.lastByte === LF ? [] : [LF];
    return concatBytes([tail, Uint8Array.from([...lineBreak, LF])]);
  }

  /** A whole message at once: `From ` line, quoted bytes, blank line. */
  encodeMessage(bytes: Uint8Array, envelope: Envelope): Uint8Array {
    return concatBytes([this.begin(envelope), this.write(bytes), this.end()]);
  }

  private startLine(): void {
    this.atLineStart = true;
    this.quoteCount = 0;
    this.matched = 0;
  }

  /** The `>`s and part of `From ` held back at this line start, as they were; the hold is emptied. */
  private takePrefix(): Uint8Array {
    const prefix = heldPrefix(this.quoteCount, this.matched);
    this.quoteCount = 0;
    this.matched = 0;
    return prefix;
  }

  private emit(parts: Uint8Array[]): Uint8Array {
    const bytes = concatBytes(parts);
    if (bytes.length > 0) {
      this.lastByte = bytes[bytes.length - 1]!;
      this.wroteContent = true;
    }
    return bytes;
  }
}
