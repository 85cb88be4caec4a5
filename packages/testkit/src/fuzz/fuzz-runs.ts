/**
 * How many runs a property-based (fuzz) test makes: `ciRuns` in the ordinary test run, so CI always
 * does the same fixed amount of work; with `FUZZ_RUNS=n` in the environment (`pnpm fuzz`), n divided
 * by the property's `cost` (how many times slower one run is than a pure-function run, e.g. one that
 * opens a socket), but never fewer than `ciRuns`.
 */
export function fuzzRuns(ciRuns: number, options: { cost?: number } = {}): number {
  const requested = Number(process.env.FUZZ_RUNS);
  if (!Number.isInteger(requested) || requested <= 0) return ciRuns;
  return Math.max(ciRuns, Math.floor(requested / (options.cost ?? 1)));
}
