/** The search's limits, in one place. */
export const searchLimits = {
  /** Characters of a body indexed (the rest is not searched; a 1 MB body indexes in about as long as 300 ordinary ones). */
  maxBodyChars: 200_000,
  /** Characters of the snippet line kept with each message. */
  snippetChars: 160,
  /** Hits returned for one query (ranked; the list shows these). */
  maxHits: 5_000,
  /** A prefix shorter than this matches only whole terms (one letter would match nearly everything). */
  minPrefixChars: 2,
  /** Words of one query matched (the rest are ignored; postings.ts counts them in a byte). */
  maxQueryWords: 32,
  /** Messages parsed and indexed before the index's texts are written out together. */
  batch: 25,
  /**
   * List lines (snippet, attachment mark) the worker sends in one answer: the page takes in each
   * answer in a task of its own (all 10,000 in one answer was 191 ms of one main-thread task).
   */
  summariesPerAnswer: 500,
  /** After the last change, the index is saved this much later (one write for a burst of changes). */
  saveDelayMs: 2_000,
} as const;
