// webpop's side-by-side benchmarks: `pnpm bench [group …] [--quick] [--runs N] [--json FILE]` from the
// repository root. Prints a Markdown table and JSON of medians over several runs. Not tests: the
// figures depend on the machine, and CI never runs them. Everything talks to loopback only.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { groups } from './groups/index.js';
import { describeMachine, machineMarkdown } from './lib/machine.js';
import { progress } from './lib/measure.js';
import type { BenchOptions } from './lib/options.js';
import { markdownTable, targetsTable, type Result, type TargetCheck } from './lib/report.js';

const USAGE = `Usage: pnpm bench [group …] [--quick] [--runs N] [--json FILE]

Groups (default: all, in this order):
${Object.entries(groups)
  .map(([name, group]) => `  ${name.padEnd(12)} ${group.what}`)
  .join('\n')}

  --quick       small sizes and one run each: a smoke check, not figures to quote
  --runs N      timed runs per figure (default 5; sequential clients over a slow link run fewer)
  --json FILE   also write the JSON report to FILE
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const unknown = positionals.filter((name) => !(name in groups));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown group ${unknown.join(', ')}\n\n${USAGE}`);
  process.exit(2);
}
const runs = values.runs === undefined ? (values.quick ? 1 : 5) : Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`bench: --runs must be a whole number of at least 1, got ${values.runs}\n`);
  process.exit(2);
}
const options: BenchOptions = { quick: values.quick, runs };
const chosen = positionals.length > 0 ? positionals : Object.keys(groups);

const machine = describeMachine();
const started = new Date();
const results: Result[] = [];
const targets: TargetCheck[] = [];
const details: string[] = [];
// The load average at each group's start and end: 2 cores shared with other work make figures noisy.
const load: Record<string, { start: number[]; end: number[] }> = {};
const loadNow = () => loadavg().map((value) => Math.round(value * 100) / 100);
for (const name of chosen) {
  progress(`group ${name} (load average ${loadNow().join(', ')})`);
  const start = loadNow();
  const outcome = await groups[name]!.run(options);
  load[name] = { start, end: loadNow() };
  results.push(...outcome.results);
  targets.push(...outcome.targets);
  if (outcome.details) details.push(outcome.details);
}

const command = `pnpm bench${process.argv.slice(2).length > 0 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
const markdown = [
  `\`${command}\` — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC${options.quick ? ' (quick: smoke sizes, not figures to quote)' : ''}`,
  '',
  machineMarkdown(machine),
  `- Load average (1, 5, 15 min) at each group's start → end: ${Object.entries(load)
    .map(([name, { start, end }]) => `${name} ${start.join('/')} → ${end.join('/')}`)
    .join('; ')}`,
  '',
  markdownTable(results),
  '',
  targets.length > 0 ? targetsTable(targets) : '',
  ...details.map((text) => `\n${text}`),
].join('\n');
const json = JSON.stringify(
  { command, date: started.toISOString(), options, machine, load, results, targets },
  null,
  2,
);
process.stdout.write(`${markdown}\n\n\`\`\`json\n${json}\n\`\`\`\n`);
if (values.json) writeFileSync(values.json, `${json}\n`);
