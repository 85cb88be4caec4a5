const LF = 0x0a;
const CR = 0x0d;

export class LineTooLongError extends Error {
  constructor(limit: number) {
    super(`line longer than ${limit} bytes`);
  }
}

/**
 * Splits incoming bytes into lines (LF or CRLF terminated) and hands them out one at a time,
 * so pipelined commands arriving in one chunk are processed strictly in order.
 */
export class LineReader {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  private waiter: ((line: Buffer | null | LineTooLongError) => void) | undefined;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Uint8Array): void {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** Drops input received but not yet read (after STLS, RFC 2595 §3.1). */
  discardBuffered(): void {
    this.buffer = Buffer.alloc(0);
  }

  /** A whole line has arrived and not been read yet (the client sent it before our last reply). */
  get lineWaiting(): boolean {
    return this.buffer.indexOf(LF) !== -1;
  }

  /** Resolves with the next line without its terminator, or null once the input has ended. */
  next(): Promise<Buffer | null> {
    const ready = this.take();
    if (ready !== undefined) return settle(ready);
    return new Promise((resolve, reject) => {
      this.waiter = (line) => (line instanceof Error ? reject(line) : resolve(line));
    });
  }

  private wake(): void {
    if (!this.waiter) return;
    const ready = this.take();
    if (ready === undefined) return;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter(ready);
  }

  private take(): Buffer | null | LineTooLongError | undefined {
    const newline = this.buffer.indexOf(LF);
    if (newline === -1) {
      if (this.buffer.length > this.maxLineBytes) return new LineTooLongError(this.maxLineBytes);
      return this.ended ? null : undefined;
    }
    const end = newline > 0 && this.buffer[newline - 1] === CR ? newline - 1 : newline;
    if (end > this.maxLineBytes) return new LineTooLongError(this.maxLineBytes);
    const line = this.buffer.subarray(0, end);
    this.buffer = this.buffer.subarray(newline + 1);
    return line;
  }
}

function settle(value: Buffer | null | LineTooLongError): Promise<Buffer | null> {
  return value instanceof Error ? Promise.reject(value) : Promise.resolve(value);
}
