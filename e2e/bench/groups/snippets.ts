// Search (issue 16): what Account settings' "Snippets for messages not saved here" costs a listing —
// `TOP n 10` instead of `TOP n 0` for every message, on one Dovecot, in one run, the two
// alternating. Measured with the engine in Node straight to Dovecot (as the app asks: every TOP in
// one pipelined fetchEach, at most mimeLimits.maxListHeaderBytes kept of each reply): wall time to
// the last reply, the replies' bytes, the bench process's CPU; then the app's own decoding of those
// replies (mime/headers.ts summarizeHeaders, which runs on the page's main thread as each reply
// arrives), whose CPU the snippet adds to (previewOfTop). The messages are testkit's generated
// ones: single-part text/plain, 600 header bytes, 200–4,000 body bytes.
import { randomBytes } from 'node:crypto';
import { connectPop3 } from '@webpop/pop3/node';
import { generateMessages, startDovecot } from '@webpop/testkit';
import { summarizeHeaders } from '../../../apps/web/src/mime/headers.js';
import { mimeLimits } from '../../../apps/web/src/mime/limits.js';
import { progress } from '../lib/measure.js';
import type { BenchOptions } from '../lib/options.js';
import { medianOf, type Result, type TargetCheck } from '../lib/report.js';
import { round } from '../lib/stats.js';
import { findTool, missing } from '../lib/tools.js';

const GROUP = 'search';
/** As the app asks with snippets on (apps/web/src/store/listing.ts listPreviewLines). */
const PREVIEW_LINES = 10;

interface Listed {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly replyBytes: number;
  readonly decodeCpuMs: number;
  readonly snippets: number;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function listOnce(
  port: number,
  username: string,
  password: string,
  lines: number,
  count: number,
): Promise<Listed> {
  const replies: Array<{ bytes: Uint8Array; received: number }> = [];
  const cpuBefore = cpuMs();
  const started = performance.now();
  const client = await connectPop3({
    host: '127.0.0.1',
    port,
    security: 'none',
    credentials: { username, password, allowPlaintext: true },
  });
  const [, entries] = await Promise.all([client.stat(), client.messages()]);
  await client.fetchEach({
    numbers: entries.map((entry) => entry.number).reverse(),
    topLines: lines,
    keepBytes: mimeLimits.maxListHeaderBytes,
    onMessage: (_, bytes, received) => replies.push({ bytes, received }),
  });
  const wallMs = performance.now() - started;
  const listCpu = cpuMs() - cpuBefore;
  await client.quit();
  if (replies.length !== count) throw new Error(`listed ${replies.length} of ${count}`);
  const decodeBefore = cpuMs();
  let snippets = 0;
  for (const { bytes, received } of replies)
    if (summarizeHeaders(bytes, received, lines > 0).preview) snippets++;
  return {
    wallMs,
    cpuMs: listCpu,
    replyBytes: replies.reduce((sum, reply) => sum + reply.received, 0),
    decodeCpuMs: cpuMs() - decodeBefore,
    snippets,
  };
}

export async function snippetsGroup(
  options: BenchOptions,
): Promise<{ results: Result[]; targets: TargetCheck[] }> {
  const count = options.quick ? 1_000 : 10_000;
  const kinds = [
    { lines: 0, label: 'TOP n 0 (snippets off)' },
    { lines: PREVIEW_LINES, label: `TOP n ${PREVIEW_LINES} (snippets on)` },
  ];
  const subjects = [
    'listing wall time',
    'listing CPU (engine, Node)',
    'reply bytes',
    'decoding CPU (summarizeHeaders)',
  ];
  const units = ['ms', 'ms', 'bytes', 'ms'];
  const caseOf = (label: string) => `${count.toLocaleString('en-US')} headers, ${label}, engine → Dovecot`;
  if (!findTool('dovecot')) {
    const why = missing('dovecot');
    return {
      results: kinds.flatMap(({ label }) =>
        subjects.map((subject, index) => ({
          group: GROUP,
          case: caseOf(label),
          subject,
          unit: units[index]!,
          samples: [],
          skipped: why,
        })),
      ),
      targets: [],
    };
  }
  const username = 'snippets';
  const password = randomBytes(9).toString('base64url');
  const dovecot = await startDovecot({
    users: [{ username, password }],
    messages: { [username]: generateMessages(count, { seed: 16, headerBytes: 600 }) },
  });
  const runs = new Map<number, Listed[]>(kinds.map(({ lines }) => [lines, []]));
  try {
    // One warm-up of each (Dovecot's index and page cache), then the two alternating.
    for (const { lines } of kinds) await listOnce(dovecot.pop3Port, username, password, lines, count);
    for (let run = 0; run < options.runs; run++)
      for (const { lines, label } of kinds) {
        const listed = await listOnce(dovecot.pop3Port, username, password, lines, count);
        runs.get(lines)!.push(listed);
        progress(
          `search-snippets: ${label}: ${round(listed.wallMs)} ms, ${listed.replyBytes} bytes, CPU ${round(listed.cpuMs)} ms, decoding ${round(listed.decodeCpuMs)} ms, ${listed.snippets} snippets`,
        );
      }
  } finally {
    await dovecot.stop();
  }
  const results: Result[] = kinds.flatMap(({ lines, label }) => {
    const listed = runs.get(lines)!;
    const values = [
      listed.map((run) => run.wallMs),
      listed.map((run) => run.cpuMs),
      listed.map((run) => run.replyBytes),
      listed.map((run) => run.decodeCpuMs),
    ];
    return subjects.map((subject, index) => ({
      group: GROUP,
      case: caseOf(label),
      subject,
      unit: units[index]!,
      samples: values[index]!,
      ...(index === 1 || index === 3 ? { note: 'CPU' } : {}),
    }));
  });
  const ratio = (subject: string) => {
    const [off, on] = kinds.map(({ label }) =>
      medianOf(results.find((result) => result.case === caseOf(label) && result.subject === subject)),
    );
    return off && on ? `${round(on / off)}×` : 'not measured';
  };
  progress(
    `search-snippets: TOP n ${PREVIEW_LINES} / TOP n 0: wall ${ratio(subjects[0]!)}, bytes ${ratio(subjects[2]!)}, decoding CPU ${ratio(subjects[3]!)}`,
  );
  return { results, targets: [] };
}
