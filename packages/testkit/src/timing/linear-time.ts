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

/**
 * How many times longer `run` takes on `adversarial` than on `ordinary` text of the same size: about
 * 1 for a linear algorithm, the input length over some constant for a quadratic one. Tests assert a
 * bound on this ratio, never on milliseconds, so the check holds on a slow or loaded machine.
 */
export function timeRatio<T>(run: (input: T) => unknown, adversarial: T, ordinary: T): number {
  const baseline = bestTimeMs(() => run(ordinary));
  return bestTimeMs(() => run(adversarial)) / Math.max(baseline, 0.5);
}
