import type { BenchOptions } from './options.js';
import type { Result, TargetCheck } from './report.js';

/** What a group returns: its rows, the targets checked against them, and optional Markdown. */
export interface GroupOutcome {
  readonly results: Result[];
  readonly targets: TargetCheck[];
  readonly details?: string;
}

/** One benchmark group: `run` measures, `what` is its line in `pnpm bench --help`. */
export interface Group {
  readonly run: (options: BenchOptions) => Promise<GroupOutcome>;
  readonly what: string;
}
