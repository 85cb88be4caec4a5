// Reading a Chromium trace (devtools.timeline): the tasks of the page's main thread after a mark or
// between two, what the long ones spent their time in, and (with the V8 sampling profiler's
// category) which of the app's own functions, by its source maps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/** One event of a Chromium trace, as far as the bench reads it. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  /** The thread's CPU time in the event (µs), where the trace has thread clocks. */
  readonly tdur?: number;
  readonly id?: string;
  readonly args?: {
    readonly name?: string;
    readonly data?: {
      readonly message?: string;
      readonly functionName?: string;
      readonly url?: string;
      readonly type?: string;
      readonly lineNumber?: number;
      readonly startTime?: number;
      readonly cpuProfile?: {
        readonly nodes?: ReadonlyArray<{
          readonly id: number;
          readonly callFrame: {
            readonly functionName?: string;
            readonly url?: string;
            readonly lineNumber?: number;
            readonly columnNumber?: number;
          };
        }>;
        readonly samples?: readonly number[];
      };
      readonly timeDeltas?: readonly number[];
    };
  };
}

/** The categories that give main-thread tasks and their parts; `sampled` adds V8's CPU samples. */
export function traceCategories(sampled = false): string[] {
  return [
    'devtools.timeline',
    'disabled-by-default-devtools.timeline',
    ...(sampled ? ['disabled-by-default-v8.cpu_profiler'] : []),
  ];
}

export function traceEvents(trace: Buffer): TraceEvent[] {
  return (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
}

/** The console.timeStamp(`message`) mark: its time, and the thread that logged it. */
export function traceMark(events: readonly TraceEvent[], message: string): TraceEvent | undefined {
  return events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message);
}

const isTask = (e: TraceEvent) =>
  e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');

/**
 * The tasks on the main thread that logged `mark` (console.timeStamp) which began after it (and, with
 * `until`, no later than that mark).
 */
export function mainThreadTasksAfter(
  events: readonly TraceEvent[],
  mark: string,
  until?: string,
): TraceEvent[] {
  const from = traceMark(events, mark);
  if (!from) throw new Error(`the trace has no mark ${mark}`);
  const to = until === undefined ? undefined : traceMark(events, until);
  if (until !== undefined && !to) throw new Error(`the trace has no mark ${until}`);
  return events.filter(
    (e) =>
      e.pid === from.pid &&
      e.tid === from.tid &&
      isTask(e) &&
      e.ts >= from.ts &&
      (to === undefined || e.ts <= to.ts),
  );
}

/**
 * The longest task (ms) on the renderer main thread that logged the `start` and `end` marks
 * (console.timeStamp), among the tasks that began between them.
 */
export function longestMainThreadTask(
  trace: Buffer,
  start: string,
  end: string,
): { longestMs: number; tasks: number } {
  const tasks = mainThreadTasksAfter(traceEvents(trace), start, end);
  if (tasks.length === 0) throw new Error('the trace has no main-thread tasks between the marks');
  return { longestMs: Math.max(...tasks.map((task) => (task.dur ?? 0) / 1000)), tasks: tasks.length };
}

/**
 * Every task (start in ms after `start`, and duration) of the renderer main thread that logged the
 * `start` mark, among those that began between the two marks, longest first: where a long one is, to
 * profile it.
 */
export function mainThreadTasksBetween(
  trace: Buffer,
  start: string,
  end: string,
): Array<{ atMs: number; ms: number }> {
  const events = traceEvents(trace);
  const from = traceMark(events, start)!;
  return mainThreadTasksAfter(events, start, end)
    .map((e) => ({ atMs: (e.ts - from.ts) / 1000, ms: (e.dur ?? 0) / 1000 }))
    .sort((a, b) => b.ms - a.ms);
}

/**
 * What the longest main-thread task between the marks spent its time in: the trace events inside it
 * (layout, style, paint, script, GC…) of at least `minMs`, longest first, as "name ms" (nested events
 * are listed too, so their times overlap). Names what a JavaScript profile cannot see.
 */
export function longestTaskBreakdown(trace: Buffer, start: string, end: string, minMs = 5): string[] {
  const events = traceEvents(trace);
  const longest = mainThreadTasksAfter(events, start, end).sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))[0];
  if (!longest) return [];
  const endTs = longest.ts + (longest.dur ?? 0);
  return events
    .filter(
      (e) =>
        e.pid === longest.pid &&
        e.tid === longest.tid &&
        e.ph === 'X' &&
        e !== longest &&
        !isTask(e) &&
        e.ts >= longest.ts &&
        e.ts + (e.dur ?? 0) <= endTs &&
        (e.dur ?? 0) / 1000 >= minMs,
    )
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, 12)
    .map((e) => `${e.name} ${Math.round((e.dur ?? 0) / 1000)} ms`);
}

/** Where a sampled function is: its name and, through the built app's source maps, its source line. */
export type Locate = (frame: {
  functionName?: string;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
}) => string;

/**
 * Names frames of the built app (`dir`, as web-build.ts makes it, with its `.map` files) by their
 * source: `recordListing (src/mailstore/mail-store.ts:210)`.
 */
export function sourceLocator(dir: string): Locate {
  const maps = new Map<string, TraceMap | undefined>();
  const mapOf = (file: string) => {
    if (!maps.has(file)) {
      try {
        maps.set(file, new TraceMap(readFileSync(join(dir, 'assets', `${file}.map`), 'utf8')));
      } catch {
        maps.set(file, undefined);
      }
    }
    return maps.get(file);
  };
  return (frame) => {
    const name = frame.functionName || '(anonymous)';
    const file = frame.url?.split('/').pop() ?? '';
    const line = (frame.lineNumber ?? 0) + 1;
    const map = file.endsWith('.js') ? mapOf(file) : undefined;
    if (!map) return file ? `${name} ${file}:${line}` : name;
    const found = originalPositionFor(map, { line, column: frame.columnNumber ?? 0 });
    if (!found.source) return `${name} ${file}:${line}`;
    const source = found.source
      .replace(/^(\.\.\/)+/, '')
      .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '');
    return `${found.name ?? name} (${source}:${found.line})`;
  };
}

/**
 * The main thread's CPU samples (V8's sampling profiler in the trace): for each span, the functions
 * that were on top of the stack, with their self time (ms), most first.
 */
export function sampledSelfTime(
  events: readonly TraceEvent[],
  thread: { pid: number; tid: number },
  spans: ReadonlyArray<{ start: number; end: number }>,
  locate: Locate,
): Array<Array<{ frame: string; ms: number }>> {
  const profile = events.find((e) => e.name === 'Profile' && e.pid === thread.pid && e.tid === thread.tid);
  if (!profile?.id) return spans.map(() => []);
  const frames = new Map<number, string>();
  const times: number[] = [];
  const nodes: number[] = [];
  let at = profile.args?.data?.startTime ?? profile.ts;
  for (const chunk of events) {
    if (chunk.name !== 'ProfileChunk' || chunk.id !== profile.id || chunk.pid !== thread.pid) continue;
    const data = chunk.args?.data;
    for (const node of data?.cpuProfile?.nodes ?? []) frames.set(node.id, locate(node.callFrame));
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    samples.forEach((node, index) => {
      at += deltas[index] ?? 0;
      times.push(at);
      nodes.push(node);
    });
  }
  return spans.map(({ start, end }) => {
    const self = new Map<string, number>();
    for (let index = 0; index < times.length - 1; index++) {
      const time = times[index]!;
      // Samples may come out of order (a negative delta): those spans are not counted.
      if (time < start || time >= end || times[index + 1]! < time) continue;
      const frame = frames.get(nodes[index]!) ?? '?';
      self.set(frame, (self.get(frame) ?? 0) + (times[index + 1]! - time) / 1000);
    }
    return [...self].map(([frame, ms]) => ({ frame, ms })).sort((a, b) => b.ms - a.ms);
  });
}
