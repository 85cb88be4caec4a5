/**
 * The bytes of one protocol line gathered across network chunks, up to `maxBytes`: a server that never
 * ends its line cannot fill memory. Both engines' reply readers collect their status and reply lines
 * here; `tooLong` makes the engine's own protocol error.
 */
export class BoundedLine {
  private bytes: Uint8Array;
  private used = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly tooLong: () => Error,
    initialBytes = 256,
  ) {
    this.bytes = new Uint8Array(Math.min(initialBytes, maxBytes));
  }

  get length(): number {
    return this.used;
  }

  /** The line so far (a view, valid until the next append or clear). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.used);
  }

  clear(): void {
    this.used = 0;
  }

  /** Adds bytes to the line; throws `tooLong()` when it would exceed `maxBytes`. */
  append(chunk: Uint8Array): void {
    const needed = this.used + chunk.length;
    if (needed > this.maxBytes) throw this.tooLong();
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.min(this.maxBytes, Math.max(needed, this.bytes.length * 2)));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(chunk, this.used);
    this.used = needed;
  }
}
