import { concatBytes } from '@webpop/pop3/codec';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

const crlf = new Uint8Array([CR, LF]);
const terminator = new Uint8Array([DOT, CR, LF]);
const crlfTerminator = new Uint8Array([CR, LF, DOT, CR, LF]);

/**
 * The DATA encoder (RFC 5321 section 4.5.2), streamed: chunks in, wire bytes out, split anywhere.
 * A dot that starts a line is doubled. A line is what CRLF ends; a bare LF is sent as CRLF (section
 * 2.3.8 forbids it bare, and servers disagree on whether it ends a line, which is what a dot after it
 * would exploit). Everything else passes byte for byte, so a CRLF message arrives exactly as given.
 * `end()` adds the CRLF a message without a final line end lacks, then `.` CRLF.
 */
export class DotStuffer {
  /** At a line start (the message's first byte, or after CRLF). */
  private atLineStart = true;
  /** The last byte passed on was a CR. */
  private afterCr = false;
  private started = false;

  /** The wire bytes for the next piece of the message (`chunk` itself where nothing changes). */
  encode(chunk: Uint8Array): Uint8Array {
    const parts = this.parts(chunk);
    return parts.length === 1 ? parts[0]! : concatBytes(parts);
  }

  private parts(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.atLineStart && byte === DOT) {
        // Send what came before and the dot once more; the dot itself goes with the next run.
        if (i > from) out.push(chunk.subarray(from, i));
        out.push(terminator.subarray(0, 1));
        from = i;
      } else if (byte === LF && !this.afterCr) {
        if (i > from) out.push(chunk.subarray(from, i));
        out.push(crlf.subarray(0, 1));
        from = i;
      }
      this.atLineStart = byte === LF;
      this.afterCr = byte === CR;
    }
    if (chunk.length > from) out.push(from === 0 ? chunk : chunk.subarray(from));
    if (chunk.length > 0) this.started = true;
    return out;
  }

  /** The end of DATA. */
  end(): Uint8Array {
    return !this.started || this.atLineStart ? terminator : crlfTerminator;
  }
}

/** Bytes of `message` on the wire, terminator included: what DATA sends (for SIZE and tests). */
export function dotStuffedLength(message: Uint8Array): number {
  const stuffer = new DotStuffer();
  return stuffer.encode(message).length + stuffer.end().length;
}
