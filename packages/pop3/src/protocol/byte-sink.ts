import { limits } from '../limits.js';

/**
 * Collects a reply body as it arrives, copying each piece once into one growing buffer. A body with
 * every line dot-stuffed arrives as one piece per line; keeping a copy of each and joining them at the
 * end cost two copies and an object per line.
 */
export class ByteSink {
  private buffer: Uint8Array;
  private used = 0;

  /**
   * `expectedBytes`: the size LIST gave, when known, so a whole message needs a single allocation. It
   * is the server's claim: only up to `limits.maxBodyPreallocationBytes` is set aside for it.
   */
  constructor(expectedBytes = 0) {
    const claimed = Number.isSafeInteger(expectedBytes) && expectedBytes > 0 ? expectedBytes : 0;
    this.buffer = new Uint8Array(Math.max(Math.min(claimed, limits.maxBodyPreallocationBytes), 256));
  }

  get length(): number {
    return this.used;
  }

  append(piece: Uint8Array): void {
    const needed = this.used + piece.length;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.used));
      this.buffer = grown;
    }
    this.buffer.set(piece, this.used);
    this.used = needed;
  }

  /** The bytes collected, in a buffer of their own size. */
  bytes(): Uint8Array {
    if (this.used === this.buffer.length) return this.buffer;
    // Slack of a few bytes (a LIST size that counted differently) is kept rather than copied away.
    if (this.buffer.length - this.used <= 1024) return this.buffer.subarray(0, this.used);
    return this.buffer.slice(0, this.used);
  }
}
