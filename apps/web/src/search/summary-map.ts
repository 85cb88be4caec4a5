import type { MessageSummary } from './account-index.js';

/** Buckets of a map: 10,000 lines are about 160 a bucket. */
const BUCKETS = 64;

/** FNV-1a over the UIDL's UTF-16 code units, to a bucket. */
function bucketOf(uid: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < uid.length; at++) hash = Math.imul(hash ^ uid.charCodeAt(at), 0x01000193);
  return (hash >>> 0) % BUCKETS;
}

/**
 * The list's lines by UIDL, immutable and shared: a change makes a new map that copies only the
 * buckets it touches (a UIDL's bucket by its hash), so taking in one new line after a sync copies
 * about 1/64 of 10,000 entries instead of all of them, and the store's change detection still works
 * by identity (a new map when a line changed; the same map, and the same line objects, when none did).
 * Copying the whole Map on every pull was garbage that lived long enough to be promoted while the
 * search worker indexed (pnpm bench search-page).
 */
export class SummaryMap {
  static readonly empty = new SummaryMap(
    Array.from({ length: BUCKETS }, () => new Map()),
    0,
  );

  /** (A draft makes these: `SummaryMap.empty.edit()`.) */
  constructor(
    private readonly buckets: ReadonlyArray<ReadonlyMap<string, MessageSummary>>,
    readonly size: number,
  ) {}

  get(uid: string): MessageSummary | undefined {
    return this.buckets[bucketOf(uid)]!.get(uid);
  }

  has(uid: string): boolean {
    return this.buckets[bucketOf(uid)]!.has(uid);
  }

  /** A draft of changes to this map: each bucket is copied at its first change, the rest shared. */
  edit(): SummaryDraft {
    return new SummaryDraft(this.buckets, this.size, this);
  }

  /** Every line, in no particular order. */
  *entries(): Generator<[string, MessageSummary]> {
    for (const bucket of this.buckets) yield* bucket.entries();
  }

  *keys(): Generator<string> {
    for (const bucket of this.buckets) yield* bucket.keys();
  }
}

/**
 * Changes being made to a SummaryMap (one pull of the worker's answers): `set` and `delete` write
 * into copies of the touched buckets, `done` gives the new map — or the old one when nothing
 * changed. A line equal to the one there (same snippet, same attachment mark) keeps the old object,
 * so a memoized row given it does not render again.
 */
export class SummaryDraft {
  private readonly buckets: Array<ReadonlyMap<string, MessageSummary>>;
  private readonly copied = new Set<number>();

  constructor(
    buckets: ReadonlyArray<ReadonlyMap<string, MessageSummary>>,
    private size: number,
    private readonly from: SummaryMap,
  ) {
    this.buckets = [...buckets];
  }

  set(uid: string, summary: MessageSummary): void {
    const at = bucketOf(uid);
    const old = this.buckets[at]!.get(uid);
    if (old && old.snippet === summary.snippet && old.hasAttachment === summary.hasAttachment) return;
    if (!old) this.size++;
    this.own(at).set(uid, summary);
  }

  delete(uid: string): void {
    const at = bucketOf(uid);
    if (!this.buckets[at]!.has(uid)) return;
    this.size--;
    this.own(at).delete(uid);
  }

  done(): SummaryMap {
    return this.copied.size === 0 ? this.from : new SummaryMap(this.buckets, this.size);
  }

  private own(at: number): Map<string, MessageSummary> {
    if (!this.copied.has(at)) {
      this.buckets[at] = new Map(this.buckets[at]);
      this.copied.add(at);
    }
    return this.buckets[at] as Map<string, MessageSummary>;
  }
}
