import { median, round } from './stats.js';

/** One measured (or skipped) figure: a subject measured in a case of a group, over several runs. */
export interface Result {
  readonly group: string;
  readonly case: string;
  readonly subject: string;
  readonly unit: string;
  /** One value per run; empty when skipped or failed. */
  readonly samples: readonly number[];
  /** Why there is no figure (a missing tool, a failure); never a made-up number. */
  readonly skipped?: string;
  /** What the figure means, where the unit alone does not say. */
  readonly note?: string;
}

/** A target of the issue, checked against the results. `met` is undefined when a figure is missing. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

export function medianOf(result: Result | undefined): number | undefined {
  return result && result.samples.length > 0 ? median(result.samples) : undefined;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function spread(samples: readonly number[]): string {
  if (samples.length < 2) return '';
  return `${round(Math.min(...samples))}–${round(Math.max(...samples))}`;
}

export function markdownTable(results: readonly Result[]): string {
  const lines = [
    '| group | case | subject | median | unit | min–max | runs |',
    '| --- | --- | --- | ---: | --- | --- | ---: |',
  ];
  for (const r of results) {
    const value = r.skipped ? `skipped: ${r.skipped}` : String(round(median(r.samples)));
    const unit = r.note ? `${r.unit} (${r.note})` : r.unit;
    lines.push(
      `| ${cell(r.group)} | ${cell(r.case)} | ${cell(r.subject)} | ${cell(value)} | ${cell(unit)} | ${spread(r.samples)} | ${r.samples.length} |`,
    );
  }
  return lines.join('\n');
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  const lines = ['| target | measured | met |', '| --- | --- | --- |'];
  for (const c of checks) {
    const met = c.met === undefined ? 'not measured' : c.met ? 'yes' : '**no**';
    lines.push(`| ${cell(c.target)} | ${cell(c.measured)} | ${met} |`);
  }
  return lines.join('\n');
}
