/** What the command line chose. */
export interface BenchOptions {
  /** Small sizes and one run each: a smoke check that every benchmark still works. */
  readonly quick: boolean;
  /** Timed runs per figure (the median is reported). */
  readonly runs: number;
}
