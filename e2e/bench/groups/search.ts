// Search (issue 16): the app's two index engines behind its own interface (apps/web/src/search/
// account-index.ts) — postings.ts (BM25 on typed arrays) and a FlexSearch 0.8 Document index
// (apps/web/test/support/flex-index.ts) — on the same real-looking messages (lib/search-documents.ts), asked the same 100
// queries through the app's query parser: bundle size, index time, heap, the persisted bytes (as
// IndexedDB's structured clone writes them), load from them, removing after a load, query p50/p99
// (wall time, and the process's CPU time per query, which a loaded machine does not inflate by
// descheduling) at 10,000 and 100,000 messages; whether prefix and diacritic-insensitive queries
// find exactly what they should; and the ranking cases of apps/web/test/support/ranking-cases.ts.
// Node, one engine at a time, a GC between them.
import { serialize, deserialize, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type {
  AccountIndex,
  IndexEngine,
  IndexQuery,
  SavedIndex,
  SearchDocument,
} from '../../../apps/web/src/search/account-index.js';
import { flexEngine } from '../../../apps/web/test/support/flex-index.js';
import { postingsEngine } from '../../../apps/web/src/search/search-index.js';
import { terms } from '../../../apps/web/src/search/text.js';
import {
  rankingCases,
  rankingMailbox,
  ranksAsExpected,
} from '../../../apps/web/test/support/ranking-cases.js';
import { progress } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import type { Result, TargetCheck } from '../lib/report.js';
import { benchDocuments, benchQueries, type BenchDocument } from '../lib/search-documents.js';
import { percentile, round } from '../lib/stats.js';

const GROUP = 'search';
const FIELDS = ['subject', 'from', 'to', 'body', 'attachments'] as const;
const SOURCE = `${import.meta.dirname}/../../../apps/web/src/search`;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Candidate {
  readonly engine: IndexEngine;
  /** The module the worker imports for it, for its min+gzip size (the library and the app's code around it). */
  readonly module: string;
}

const candidates: readonly Candidate[] = [
  { engine: postingsEngine, module: 'search-index.ts' },
  { engine: flexEngine, module: '../../test/support/flex-index.ts' },
];

async function bundleGzipBytes(module: string): Promise<number> {
  const output = await build({
    stdin: {
      contents: `export * from ${JSON.stringify(`${SOURCE}/${module}`)};`,
      resolveDir: import.meta.dirname,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(output.outputFiles[0]!.contents, { level: 9 }).length;
}

/** A query of plain words, as query.ts's parseQuery reads one (the bench's queries have no operators or quotes). */
function wordsQuery(text: string): IndexQuery {
  return {
    words: terms(text),
    phrases: [],
    from: [],
    to: [],
    subject: [],
    hasAttachment: false,
    unread: undefined,
    starred: undefined,
    folder: undefined,
    before: undefined,
    after: undefined,
    largerThan: undefined,
  };
}

/** A bench message as the indexer hands it over (text already out of the MIME). */
function searchDocument(d: BenchDocument): SearchDocument {
  return {
    id: `uid-${d.id}`,
    subject: d.subject,
    from: d.from,
    to: d.to,
    body: d.body,
    attachments: d.attachments,
    date: 1_700_000_000_000 + d.id * 60_000,
    size: d.body.length + 600,
    hasAttachment: d.attachments !== '',
    headersOnly: false,
    snippet: d.body.slice(0, 160),
  };
}

/** Ids whose folded text has a term starting with every query term: the answer all must give. */
function expected(documents: readonly BenchDocument[], query: string): Set<string> {
  const wanted = terms(query);
  const found = new Set<string>();
  for (const d of documents) {
    const own = terms(FIELDS.map((field) => d[field]).join(' '));
    if (wanted.every((w) => own.some((t) => t.startsWith(w)))) found.add(`uid-${d.id}`);
  }
  return found;
}

/** Prefix and diacritics: the share of these checks where the engine finds exactly the expected set. */
const PROBES = ['grusse', 'Grüße', 'rechn', 'uberweisung', 'strasse', 'елка', 'ёлка', 'счет', 'müll', 'oztu'];

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function timed<T>(work: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = work();
  return { value, wallMs: performance.now() - started, cpuMs: cpuMs(cpu) };
}

async function timedAsync<T>(work: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  return { value, wallMs: performance.now() - started, cpuMs: cpuMs(cpu) };
}

/** The saved form as IndexedDB writes it: its structured clone (V8's serializer); nothing else of it is kept. */
async function savedBytes(index: AccountIndex): Promise<Buffer> {
  return serialize(await index.save());
}

/** Messages removed from a loaded index (a sync after the user deleted some). */
const REMOVED_AFTER_LOAD = 20;

export async function searchGroup(options: BenchOptions): Promise<{
  results: Result[];
  targets: TargetCheck[];
  details: string;
}> {
  // BENCH_SEARCH_SIZES=100000 and BENCH_SEARCH_ENGINES=postings.ts measure one size or engine only.
  const sizes = process.env.BENCH_SEARCH_SIZES
    ? process.env.BENCH_SEARCH_SIZES.split(',').map(Number)
    : options.quick
      ? [1_000, 5_000]
      : [10_000, 100_000];
  const engines = process.env.BENCH_SEARCH_ENGINES?.split(',');
  const queries = benchQueries().map((text) => wordsQuery(text));
  const results: Result[] = [];
  const targets: TargetCheck[] = [];
  const record = (subject: string, what: string, unit: string, value: number) =>
    results.push({ group: GROUP, case: what, subject, unit, samples: [value] });
  const rows: string[] = [
    '| engine | messages | min+gzip | index (CPU) | heap | saved | save | load | remove 20 after load | p50 / p99 wall | p50 / p99 CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const checks: string[] = [
    '| engine | prefix + diacritics | ranking cases as expected |',
    '| --- | --- | --- |',
  ];
  const probeDocs = benchDocuments(2_000, 7);
  for (const { engine, module } of candidates) {
    const name = engine.name;
    if (engines && !engines.includes(name)) continue;
    const gzip = await bundleGzipBytes(module);
    record(name, 'bundle', 'KB min+gzip', gzip / 1024);

    const probeIndex = engine.create();
    for (const d of probeDocs) probeIndex.put(searchDocument(d), 'v1');
    let right = 0;
    for (const probe of PROBES) {
      const got = new Set(probeIndex.search(wordsQuery(probe)).map((hit) => hit.uid));
      const want = expected(probeDocs, probe);
      if (got.size === want.size && [...want].every((id) => got.has(id))) right++;
    }
    const rankingIndex = engine.create();
    for (const d of rankingMailbox) rankingIndex.put(d, 'v1');
    const ranked = rankingCases.filter((c) => ranksAsExpected(rankingIndex.search(wordsQuery(c.query)), c));
    checks.push(
      `| ${name} | ${right} of ${PROBES.length} exact | ${ranked.length} of ${rankingCases.length}: ${ranked.map((c) => `"${c.query}"`).join(', ')} |`,
    );

    for (const size of sizes) {
      const label = `${size / 1000}k messages`;
      const documents = benchDocuments(size).map(searchDocument);
      let index: AccountIndex | undefined = engine.create();
      const built = timed(() => {
        for (const d of documents) index!.put(d, 'v1');
      });
      const saving = await timedAsync(() => savedBytes(index!));
      const bytes = saving.value;
      const times: number[] = [];
      const cpuTimes: number[] = [];
      for (const query of queries) index.search(query); // warm
      for (const query of queries) {
        const { wallMs, cpuMs: cpu } = timed(() => index!.search(query));
        times.push(wallMs);
        cpuTimes.push(cpu);
      }
      // The index's heap: with it, then without it.
      const withIndex = heapUsed();
      index = undefined;
      const heap = withIndex - heapUsed();
      const loading = timed(() => engine.load(deserialize(bytes) as SavedIndex)!);
      const removing = timed(() => {
        for (let n = 0; n < REMOVED_AFTER_LOAD; n++) loading.value.remove(`uid-${n * 7}`);
      });
      const [p50, p99, cpu50, cpu99] = [
        percentile(times, 50),
        percentile(times, 99),
        percentile(cpuTimes, 50),
        percentile(cpuTimes, 99),
      ];
      record(name, `index ${label}`, 'ms', built.wallMs);
      record(name, `index CPU ${label}`, 'ms', built.cpuMs);
      record(name, `heap ${label}`, 'MiB', heap / 2 ** 20);
      record(name, `saved ${label}`, 'MiB', bytes.length / 2 ** 20);
      record(name, `save ${label}`, 'ms', saving.wallMs);
      record(name, `load ${label}`, 'ms', loading.wallMs);
      record(name, `remove ${REMOVED_AFTER_LOAD} after load ${label}`, 'ms', removing.wallMs);
      record(name, `query p50 ${label}`, 'ms', p50);
      record(name, `query p99 ${label}`, 'ms', p99);
      record(name, `query CPU p50 ${label}`, 'ms', cpu50);
      record(name, `query CPU p99 ${label}`, 'ms', cpu99);
      const line = `| ${name} | ${size.toLocaleString('en')} | ${round(gzip / 1024)} KB | ${round(built.wallMs / 1000)} s (${round(built.cpuMs / 1000)} s) | ${round(heap / 2 ** 20)} MiB | ${round(bytes.length / 2 ** 20)} MiB | ${round(saving.wallMs)} ms | ${round(loading.wallMs)} ms | ${round(removing.wallMs)} ms | ${round(p50)} / ${round(p99)} ms | ${round(cpu50)} / ${round(cpu99)} ms |`;
      rows.push(line);
      progress(line);
      const limit = size >= 100_000 ? 200 : 50;
      targets.push({
        target: `search query p99 < ${limit} ms at ${label} (${name})`,
        measured: `${round(p99)} ms (CPU ${round(cpu99)} ms)`,
        met: p99 < limit,
      });
      gc();
    }
  }
  return {
    results,
    targets,
    details: `### Search engines\n\n${rows.join('\n')}\n\n${checks.join('\n')}`,
  };
}
