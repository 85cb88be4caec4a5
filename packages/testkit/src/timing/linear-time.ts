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
 * The CPU milliseconds this process spends on `work` (user and system time, so time spent waiting for
 * a core on a loaded machine is not counted: at load 21–30 on 2 cores wall-clock ratios of linear
 * shapes still read over 4 now and then).
 */
function cpuTimeMs(work: () => void): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/** How many times larger the big input of {@link superlinearity} is than the small one. */
export const GROWTH_FACTOR = 8;

/**
 * The timeout for a test of {@link superlinearity}: it counts CPU time, so a loaded machine stretches
 * only its wall time, and that past vitest's 30 s: at a load average of 30 on 2 cores the slowest
 * shapes took 30.2 and 34.4 s (parseAddressList "a:a;", linkify "a.a@a.a@…") and failed by timeout,
 * about 1-2 s of CPU each.
 */
export const LINEAR_TIME_TEST_TIMEOUT_MS = 180_000;

/** Under this, {@link superlinearity} calls the growth linear: half way to a quadratic's GROWTH_FACTOR. */
export const LINEAR_BOUND = GROWTH_FACTOR / 2;

/** A single reading of {@link superlinearity}: best of five of each size, timed in alternation. */
function growthReading<T>(run: (input: T) => unknown, small: T, large: T): number {
  run(small);
  run(large);
  let smallBest = Infinity;
  let largeBest = Infinity;
  for (let i = 0; i < 5; i++) {
    smallBest = Math.min(
      smallBest,
      cpuTimeMs(() => run(small)),
    );
    largeBest = Math.min(
      largeBest,
      cpuTimeMs(() => run(large)),
    );
  }
  return largeBest / Math.max(smallBest, 0.05) / GROWTH_FACTOR;
}

/**
 * How much faster than its input `run`'s time grows: the CPU time on `make(size)` over the CPU time
 * on `make(size / GROWTH_FACTOR)`, divided by GROWTH_FACTOR. About 1 for a linear algorithm, about
 * GROWTH_FACTOR (8) for a quadratic one, 64 for a cubic one. The earlier check compared a shape with
 * different, ordinary text of the same size and failed CI at 18.7× (bound 15) on a linear but slower
 * shape on a loaded machine. One reading of a linear scan is 0.9–2.0 quiet, but with six busy loops
 * and three test processes on 2 cores one in ten or so read 4.2–6.4, so a reading at or over
 * LINEAR_BOUND is taken again, up to three readings, and the lowest is returned: a quadratic reads
 * about 8 every time, noise rarely three times running. Tests assert a bound, never milliseconds.
 */
export function superlinearity<T>(
  run: (input: T) => unknown,
  make: (size: number) => T,
  size: number,
): number {
  const small = make(Math.round(size / GROWTH_FACTOR));
  const large = make(size);
  let lowest = Infinity;
  for (let reading = 0; reading < 3 && lowest >= LINEAR_BOUND; reading++) {
    lowest = Math.min(lowest, growthReading(run, small, large));
  }
  return lowest;
}
