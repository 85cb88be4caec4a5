// webpop's side-by-side benchmarks: `pnpm bench [group …] [--quick] [--runs N] [--json FILE]` from the
// repository root. Prints a Markdown table and JSON of medians over several runs. Not tests: the
// figures depend on the machine, and CI never runs them. Everything talks to loopback only.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { concurrencyGroup } from './groups/concurrency.js';
import { downloadGroup } from './groups/download.js';
import { engineGroup } from './groups/engine.js';
import { fixtureGroup } from './groups/fixture.js';
import { listingGroup } from './groups/listing.js';
import { webGroup } from './groups/web.js';
import { describeMachine, machineMarkdown } from './lib/machine.js';
import { progress } from './lib/measure.js';
import type { BenchOptions } from './lib/options.js';
import { markdownTable, targetsTable, type Result, type TargetCheck } from './lib/report.js';

type Group = (
  options: BenchOptions,
) => Promise<{ results: Result[]; targets: TargetCheck[]; details?: string }>;

const groups: Record<string, { run: Group; what: string }> = {
  listing: {
    run: listingGroup,
    what: 'sign-in to last row in Chromium vs poplib vs raw pipelining, Dovecot',
  },
  download: { run: downloadGroup, what: 'RETR 50 MB: bridge vs direct TCP vs websockify vs curl' },
  concurrency: { run: concurrencyGroup, what: '1,000 concurrent sessions through the bridge vs websockify' },
  web: { run: webGroup, what: 'bundle size, time to sign-in form, worker parse times, scroll jank' },
  engine: {
    run: engineGroup,
    what: 'the engine alone: reply throughput, pipelined vs one-at-a-time listing',
  },
  fixture: { run: fixtureGroup, what: 'delivery to waitForMessage vs a poplib poll loop' },
};

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
for (const name of chosen) {
  progress(`group ${name}`);
  const outcome = await groups[name]!.run(options);
  results.push(...outcome.results);
  targets.push(...outcome.targets);
  if (outcome.details) details.push(outcome.details);
}

const command = `pnpm bench${process.argv.slice(2).length > 0 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
const markdown = [
  `\`${command}\` — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC${options.quick ? ' (quick: smoke sizes, not figures to quote)' : ''}`,
  '',
  machineMarkdown(machine),
  '',
  markdownTable(results),
  '',
  targets.length > 0 ? targetsTable(targets) : '',
  ...details.map((text) => `\n${text}`),
].join('\n');
const json = JSON.stringify(
  { command, date: started.toISOString(), options, machine, results, targets },
  null,
  2,
);
process.stdout.write(`${markdown}\n\n\`\`\`json\n${json}\n\`\`\`\n`);
if (values.json) writeFileSync(values.json, `${json}\n`);
