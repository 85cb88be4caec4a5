import type { UiLogEntry } from '../session/types.js';

export interface LogLine extends UiLogEntry {
  readonly id: number;
}

/** The lines the protocol log keeps: the first are dropped (and counted) past this. */
export const MAX_LOG_LINES = 5000;

/**
 * Lines per chunk of the log. A view copies the list of chunks (21 at 5,000 lines), never the lines,
 * and the log drops whole chunks from its start.
 */
const CHUNK_LINES = 256;

/**
 * The log as it was at one moment: immutable, read by index like an array (`at`, `length`, iterable).
 * Views share the log's chunks: a chunk is only ever appended to beyond what any view reads of it, and
 * a chunk dropped from the log or left by a clear is never written again.
 */
export class LogLines implements Iterable<LogLine> {
  static readonly empty = new LogLines([], 0, 0, 0);

  /** Use `LogRing.view()`; the chunks are the ring's, `start` the first line's place in the first. */
  constructor(
    private readonly chunks: readonly (readonly LogLine[])[],
    private readonly start: number,
    /** Lines in this view. */
    readonly length: number,
    /** Lines dropped from the start of the log before this view (MAX_LOG_LINES were passed). */
    readonly dropped: number,
  ) {}

  /** The line at `index` (negative: from the end), as `Array.prototype.at`. */
  at(index: number): LogLine | undefined {
    const i = index < 0 ? this.length + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    const place = this.start + i;
    return this.chunks[Math.floor(place / CHUNK_LINES)]?.[place % CHUNK_LINES];
  }

  *[Symbol.iterator](): Iterator<LogLine> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }

  toArray(): LogLine[] {
    return [...this];
  }
}

/**
 * The log's lines outside the store's state: appending is O(1) and keeps the last `limit`, counting
 * what it drops; `view()` is O(chunks). It replaced an immutable array copied whole on every flush:
 * 373 ms of the main thread's ~5.9 s in the profile of the 1,000 × 50 KB download (profile/store.ts),
 * with the log panel closed.
 */
export class LogRing {
  private chunks: LogLine[][] = [];
  /** The first kept line's place in `chunks[0]`. */
  private start = 0;
  private size = 0;
  private droppedLines = 0;
  private latest: LogLines | undefined = LogLines.empty;

  constructor(private readonly limit = MAX_LOG_LINES) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a log of ${limit} lines`);
  }

  get length(): number {
    return this.size;
  }

  get dropped(): number {
    return this.droppedLines;
  }

  push(line: LogLine): void {
    let tail = this.chunks.at(-1);
    if (!tail || tail.length === CHUNK_LINES) {
      tail = [];
      this.chunks.push(tail);
    }
    tail.push(line);
    this.size++;
    if (this.size > this.limit) {
      this.size--;
      this.droppedLines++;
      this.start++;
      if (this.start === CHUNK_LINES) {
        this.chunks.shift();
        this.start = 0;
      }
    }
    this.latest = undefined;
  }

  /** The lines as they are now (the same view until the next push or clear). */
  view(): LogLines {
    this.latest ??= new LogLines([...this.chunks], this.start, this.size, this.droppedLines);
    return this.latest;
  }

  /** Empties the log and its count of dropped lines (views taken before keep their lines). */
  clear(): void {
    this.chunks = [];
    this.start = 0;
    this.size = 0;
    this.droppedLines = 0;
    this.latest = LogLines.empty;
  }
}
