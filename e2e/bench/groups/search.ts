// Search (issue 16): the app's index (apps/web/src/search/postings.ts) beside MiniSearch, FlexSearch
// and Orama on the same real-looking messages (lib/search-documents.ts), each with the app's folding
// (apps/web/src/search/text.ts) as its tokenizer, so all four are asked the same thing: bundle size,
// index time, heap and saved size, query p50/p99 over 100 queries at 10,000 and 100,000 messages
// (wall time, and the process's CPU time per query, which a loaded machine does not inflate by
// descheduling), and whether prefix and diacritic-insensitive queries find what they should. Node,
// one library at a time, a GC between them.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { create, insertMultiple, save, search as oramaSearch, type AnyOrama } from '@orama/orama';
import { build } from 'esbuild';
import { Index as FlexIndex } from 'flexsearch';
import MiniSearch from 'minisearch';
import { Postings, type SavedPostings } from '../../../apps/web/src/search/postings.js';
import { terms } from '../../../apps/web/src/search/text.js';
import { progress } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import type { Result, TargetCheck } from '../lib/report.js';
import { benchDocuments, benchQueries, type BenchDocument } from '../lib/search-documents.js';
import { percentile, round } from '../lib/stats.js';

const GROUP = 'search';
const FIELDS = ['subject', 'from', 'to', 'body', 'attachments'] as const;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** One library behind the same three operations. */
interface Candidate {
  readonly name: string;
  /** What the bundle imports, for its min+gzip size. */
  readonly entry: string;
  index(documents: readonly BenchDocument[]): unknown;
  /** Ids matching every term (a prefix match for each). */
  search(index: unknown, query: string): Promise<number[]> | number[];
  serialized(index: unknown): Promise<number> | number;
}

const miniSearch: Candidate = {
  name: 'MiniSearch 7.2',
  entry: "export { default } from 'minisearch';",
  index(documents) {
    const index = new MiniSearch<BenchDocument>({
      fields: [...FIELDS],
      tokenize: (text) => terms(text),
      processTerm: (term) => term,
      searchOptions: { prefix: true, combineWith: 'AND', boost: { subject: 3, from: 2 } },
    });
    index.addAll(documents);
    return index;
  },
  search: (index, query) => (index as MiniSearch<BenchDocument>).search(query).map((hit) => hit.id as number),
  serialized: (index) => JSON.stringify(index).length,
};

const flexSearch: Candidate = {
  name: 'FlexSearch 0.8',
  entry: "export { Index } from 'flexsearch';",
  index(documents) {
    // One index over all fields: a Document index searches each field on its own, so two words in
    // different fields (a sender and a body word) would find nothing.
    const index = new FlexIndex({ tokenize: 'forward', encode: (text: string) => terms(text) });
    for (const d of documents) index.add(d.id, FIELDS.map((field) => d[field]).join(' \n'));
    return index;
  },
  search: (index, query) => (index as FlexIndex).search(query, { limit: 100_000 }) as number[],
  async serialized(index) {
    let bytes = 0;
    await (index as FlexIndex).export((_key: string, data: string) => {
      bytes += data?.length ?? 0;
    });
    return bytes;
  },
};

const orama: Candidate = {
  name: 'Orama 3.1',
  entry: "export { create, insertMultiple, search, remove, save, load } from '@orama/orama';",
  async index(documents) {
    const db = create({
      schema: { subject: 'string', from: 'string', to: 'string', body: 'string', attachments: 'string' },
      components: {
        tokenizer: {
          language: 'english',
          normalizationCache: new Map(),
          tokenize: (raw: string) => terms(raw),
        },
      },
    });
    await insertMultiple(
      db,
      documents.map((d) => ({ ...d, id: String(d.id) })),
      5000,
    );
    return db;
  },
  async search(index, query) {
    const found = await oramaSearch(index as AnyOrama, {
      term: query,
      properties: [...FIELDS],
      threshold: 0,
      limit: 100_000,
    });
    return found.hits.map((hit) => Number(hit.id));
  },
  serialized: (index) => JSON.stringify(save(index as AnyOrama)).length,
};

/** The bytes of the saved form as IndexedDB stores it (typed arrays as they are, strings as UTF-16). */
function savedBytes(saved: SavedPostings<number>): number {
  const strings = saved.terms.reduce((sum, term) => sum + 2 * term.length, 0);
  const arrays = [saved.offsets, saved.docs, saved.freqs, ...saved.fieldLengths];
  return strings + 8 * saved.payloads.length + arrays.reduce((sum, array) => sum + array.byteLength, 0);
}

const webpop: Candidate = {
  name: 'webpop postings.ts',
  entry: `export { Postings } from ${JSON.stringify(`${import.meta.dirname}/../../../apps/web/src/search/postings.ts`)};`,
  index(documents) {
    // The app's boosts (search-index.ts): subject 3, from 2, attachments 1.5.
    const index = new Postings<number>(FIELDS.length, [3, 2, 1, 1, 1.5]);
    for (const d of documents)
      index.add(
        FIELDS.map((field) => terms(d[field])),
        d.id,
      );
    return index;
  },
  search(index, query) {
    const postings = index as Postings<number>;
    const words = terms(query).map((term) => ({ term, fields: [0, 1, 2, 3, 4], prefix: true }));
    // Ranked; the best 5,000 as the app asks (searchLimits.maxHits): the others return every hit.
    return postings.search(words, () => true, 5_000).map((hit) => postings.payload(hit.slot)!);
  },
  serialized: (index) => savedBytes((index as Postings<number>).save()),
};

const candidates = [webpop, miniSearch, flexSearch, orama];

/** A library that needs longer than this for the first size is not run at ten times the size (it would take most of an hour). */
const SLOW_INDEX_MS = 60_000;

async function bundleGzipBytes(entry: string): Promise<number> {
  const output = await build({
    stdin: { contents: entry, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(output.outputFiles[0]!.contents, { level: 9 }).length;
}

/** Ids whose folded text has a term starting with every query term: the answer all must give. */
function expected(documents: readonly BenchDocument[], query: string): Set<number> {
  const wanted = terms(query);
  const found = new Set<number>();
  for (const d of documents) {
    const own = terms(FIELDS.map((field) => d[field]).join(' '));
    if (wanted.every((w) => own.some((t) => t.startsWith(w)))) found.add(d.id);
  }
  return found;
}

/** Prefix and diacritics: the share of these checks where the library finds exactly the expected set. */
const PROBES = ['grusse', 'Grüße', 'rechn', 'uberweisung', 'strasse', 'елка', 'ёлка', 'счет', 'müll', 'oztu'];

export async function searchGroup(options: BenchOptions): Promise<{
  results: Result[];
  targets: TargetCheck[];
  details: string;
}> {
  const sizes = options.quick ? [1_000, 5_000] : [10_000, 100_000];
  const queries = benchQueries();
  const results: Result[] = [];
  const targets: TargetCheck[] = [];
  const rows: string[] = [
    '| library | min+gzip | index 10k | heap 10k | saved 10k | p50 / p99 10k | p50 / p99 100k | prefix + diacritics |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const probeDocs = benchDocuments(2_000, 7);
  for (const candidate of candidates) {
    const gzip = await bundleGzipBytes(candidate.entry);
    results.push({
      group: GROUP,
      case: 'bundle',
      subject: candidate.name,
      unit: 'KB min+gzip',
      samples: [gzip / 1024],
    });
    const probeIndex = await candidate.index(probeDocs);
    let right = 0;
    for (const probe of PROBES) {
      const got = new Set(await candidate.search(probeIndex, probe));
      const want = expected(probeDocs, probe);
      if (got.size === want.size && [...want].every((id) => got.has(id))) right++;
    }
    const cells: string[] = [];
    let firstIndexMs = 0;
    for (const size of sizes) {
      if (size !== sizes[0] && firstIndexMs > SLOW_INDEX_MS) {
        const reason = `indexing ${sizes[0]! / 1000}k took ${round(firstIndexMs / 1000)} s; ${size / 1000}k not run`;
        results.push({
          group: GROUP,
          case: `query p99 ${size / 1000}k messages`,
          subject: candidate.name,
          unit: 'ms',
          samples: [],
          skipped: reason,
        });
        progress(`${candidate.name}: ${reason}`);
        cells.push('not run');
        continue;
      }
      const documents = benchDocuments(size);
      const started = performance.now();
      let index: unknown = await candidate.index(documents);
      const indexMs = performance.now() - started;
      if (size === sizes[0]) firstIndexMs = indexMs;
      const serialized = await candidate.serialized(index);
      const times: number[] = [];
      const cpuTimes: number[] = [];
      for (const query of queries) await candidate.search(index, query); // warm
      for (const query of queries) {
        const cpu = process.cpuUsage();
        const t = performance.now();
        await candidate.search(index, query);
        times.push(performance.now() - t);
        const used = process.cpuUsage(cpu);
        cpuTimes.push((used.user + used.system) / 1000);
      }
      // The index's heap: with it, then without it (measured before, the previous index's garbage counted).
      const withIndex = heapUsed();
      index = undefined;
      const heap = withIndex - heapUsed();
      const p50 = percentile(times, 50);
      const p99 = percentile(times, 99);
      const cpuP50 = percentile(cpuTimes, 50);
      const cpuP99 = percentile(cpuTimes, 99);
      const label = `${size / 1000}k messages`;
      results.push(
        { group: GROUP, case: `index ${label}`, subject: candidate.name, unit: 'ms', samples: [indexMs] },
        {
          group: GROUP,
          case: `heap ${label}`,
          subject: candidate.name,
          unit: 'MiB',
          samples: [heap / 2 ** 20],
        },
        {
          group: GROUP,
          case: `serialized ${label}`,
          subject: candidate.name,
          unit: 'MiB',
          samples: [serialized / 2 ** 20],
        },
        { group: GROUP, case: `query p50 ${label}`, subject: candidate.name, unit: 'ms', samples: [p50] },
        { group: GROUP, case: `query p99 ${label}`, subject: candidate.name, unit: 'ms', samples: [p99] },
        {
          group: GROUP,
          case: `query CPU p50 ${label}`,
          subject: candidate.name,
          unit: 'ms',
          samples: [cpuP50],
        },
        {
          group: GROUP,
          case: `query CPU p99 ${label}`,
          subject: candidate.name,
          unit: 'ms',
          samples: [cpuP99],
        },
      );
      progress(
        `${candidate.name} ${label}: index ${round(indexMs)} ms, heap ${round(heap / 2 ** 20)} MiB, p50 ${round(p50)} p99 ${round(p99)} ms (CPU ${round(cpuP50)} / ${round(cpuP99)} ms)`,
      );
      cells.push(
        size === sizes[0]
          ? `${round(indexMs)} ms | ${round(heap / 2 ** 20)} MiB | ${round(serialized / 2 ** 20)} MiB | ${round(p50)} / ${round(p99)} ms (CPU ${round(cpuP50)} / ${round(cpuP99)})`
          : `${round(p50)} / ${round(p99)} ms (CPU ${round(cpuP50)} / ${round(cpuP99)})`,
      );
      if (candidate === webpop) {
        const limit = size >= 100_000 ? 200 : 50;
        targets.push({
          target: `search query p99 < ${limit} ms at ${label}`,
          measured: `${round(p99)} ms`,
          met: p99 < limit,
        });
      }
    }
    rows.push(
      `| ${candidate.name} | ${round(gzip / 1024)} KB | ${cells.join(' | ')} | ${right} of ${PROBES.length} exact |`,
    );
  }
  return { results, targets, details: `### Search libraries\n\n${rows.join('\n')}` };
}
