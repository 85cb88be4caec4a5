// Reading a Chromium trace (devtools.timeline): the tasks of the page's main thread between two marks.

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly args?: { name?: string; data?: { message?: string } };
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
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const mark = (message: string) => {
    const found = traceEvents.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message);
    if (!found) throw new Error(`the trace has no mark ${message}`);
    return found;
  };
  const from = mark(start);
  const to = mark(end);
  const tasks = traceEvents.filter(
    (e) =>
      e.pid === from.pid &&
      e.tid === from.tid &&
      e.ph === 'X' &&
      (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
      e.ts >= from.ts &&
      e.ts <= to.ts,
  );
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
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const mark = (message: string) => {
    const found = traceEvents.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message);
    if (!found) throw new Error(`the trace has no mark ${message}`);
    return found;
  };
  const from = mark(start);
  const to = mark(end);
  return traceEvents
    .filter(
      (e) =>
        e.pid === from.pid &&
        e.tid === from.tid &&
        e.ph === 'X' &&
        (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
        e.ts >= from.ts &&
        e.ts <= to.ts,
    )
    .map((e) => ({ atMs: (e.ts - from.ts) / 1000, ms: (e.dur ?? 0) / 1000 }))
    .sort((a, b) => b.ms - a.ms);
}

/**
 * What the longest main-thread task between the marks spent its time in: the trace events inside it
 * (layout, style, paint, script, GC…) of at least `minMs`, longest first, as "name ms" (nested events
 * are listed too, so their times overlap). Names what a JavaScript profile cannot see.
 */
export function longestTaskBreakdown(trace: Buffer, start: string, end: string, minMs = 5): string[] {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const from = traceEvents.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === start);
  const to = traceEvents.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === end);
  if (!from || !to) throw new Error(`the trace has no mark ${from ? end : start}`);
  const onThread = (e: TraceEvent) => e.pid === from.pid && e.tid === from.tid && e.ph === 'X';
  const isTask = (e: TraceEvent) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask';
  const longest = traceEvents
    .filter((e) => onThread(e) && isTask(e) && e.ts >= from.ts && e.ts <= to.ts)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))[0];
  if (!longest) return [];
  const endTs = longest.ts + (longest.dur ?? 0);
  return traceEvents
    .filter(
      (e) =>
        onThread(e) &&
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
