/** A megabyte of `piece` repeated (cut to exactly `length` characters). */
export function repeatTo(piece: string, length = 1024 * 1024): string {
  return piece.repeat(Math.ceil(length / piece.length)).slice(0, length);
}

/** The best of `runs` timings of `work`, in milliseconds (the least disturbed by other load). */
export function bestTimeMs(work: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** How many times larger the big input of {@link superlinearity} is than the small one. */
export const GROWTH_FACTOR = 8;

/**
 * How much faster than its input `run`'s time grows: the time on `make(size)` over the time on
 * `make(size / GROWTH_FACTOR)`, divided by GROWTH_FACTOR. About 1 for a linear algorithm, about
 * GROWTH_FACTOR (8) for a quadratic one, 64 for a cubic one. Both sizes are timed in alternation
 * (best of five each, after one warm-up of each), so load on the machine slows both alike: the
 * earlier check compared a shape with different, ordinary text of the same size and failed CI at
 * 18.7× on a linear but slower shape on a loaded machine. Tests assert a bound on this, never on
 * milliseconds.
 */
export function superlinearity<T>(
  run: (input: T) => unknown,
  make: (size: number) => T,
  size: number,
): number {
  const small = make(Math.round(size / GROWTH_FACTOR));
  const large = make(size);
  run(small);
  run(large);
  let smallBest = Infinity;
  let largeBest = Infinity;
  for (let i = 0; i < 5; i++) {
    smallBest = Math.min(
      smallBest,
      bestTimeMs(() => run(small), 1),
    );
    largeBest = Math.min(
      largeBest,
      bestTimeMs(() => run(large), 1),
    );
  }
  return largeBest / Math.max(smallBest, 0.05) / GROWTH_FACTOR;
}
