// The page's JavaScript heap through CDP (issue 16: what the main thread allocates and keeps while the
// search worker indexes): its size polled over a span, a sampling allocation profile by the app's
// functions, and a heap snapshot's retained objects by constructor.
import type { CDPSession } from '@playwright/test';
import type { Locate, TraceEvent } from './trace.js';

const MIB = 1024 * 1024;

/** Polls Runtime.getHeapUsage until stopped: the largest used size seen. */
export function pollHeap(cdp: CDPSession, everyMs = 1000): { stop(): Promise<number> } {
  let largest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      largest = Math.max(largest, usedSize);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return largest / MIB;
    },
  };
}

/** The page's used heap now, and after a forced full GC (what it retains), in MiB. */
export async function heapNowAndRetained(cdp: CDPSession): Promise<{ used: number; retained: number }> {
  const used = (await cdp.send('Runtime.getHeapUsage')).usedSize / MIB;
  await cdp.send('HeapProfiler.collectGarbage');
  const retained = (await cdp.send('Runtime.getHeapUsage')).usedSize / MIB;
  return { used, retained };
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** Starts V8's sampling heap profiler, counting objects that GCs have since collected as well (what was allocated, not only kept). */
export async function startAllocationSampling(cdp: CDPSession): Promise<void> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}

/**
 * The sampled allocations by the nearest app frame (a frame of the build's own code, by source map),
 * MiB, most first; and what was allocated with no app frame on the stack, by its own frame (the
 * innermost one: "(root)" for the browser's own work such as a structured-clone read, else a library
 * function such as React's), so the largest share is named too.
 */
export async function stopAllocationSampling(
  cdp: CDPSession,
  locate: Locate,
  top = 12,
): Promise<{
  totalMib: number;
  byApp: Array<{ frame: string; mib: number }>;
  withoutApp: Array<{ frame: string; mib: number }>;
}> {
  const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as {
    profile: { head: SamplingNode };
  };
  const bytes = new Map<string, number>();
  const unattributed = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingNode, owner: string | undefined) => {
    const here = locate(node.callFrame);
    const mine = /[(/]src\//.test(here) ? here : owner;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const frame = mine ?? '(no app frame)';
      bytes.set(frame, (bytes.get(frame) ?? 0) + node.selfSize);
      if (mine === undefined) unattributed.set(here, (unattributed.get(here) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, mine);
  };
  walk(profile.head, undefined);
  const ranked = (sums: Map<string, number>, count: number) =>
    [...sums]
      .map(([frame, size]) => ({ frame, mib: size / MIB }))
      .sort((a, b) => b.mib - a.mib)
      .slice(0, count);
  return { totalMib: total / MIB, byApp: ranked(bytes, top), withoutApp: ranked(unattributed, 6) };
}

/** A heap snapshot of the page, its objects' self sizes summed by constructor (MiB, count), most first. */
export async function snapshotByConstructor(
  cdp: CDPSession,
  top = 15,
): Promise<Array<{ name: string; mib: number; count: number }>> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snapshot = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snapshot.snapshot.meta.node_types[0];
  const sums = new Map<string, { size: number; count: number }>();
  for (let at = 0; at < snapshot.nodes.length; at += width) {
    const type = types[snapshot.nodes[at + typeAt]!]!;
    const name =
      type === 'object' || type === 'closure'
        ? `${type === 'closure' ? 'closure ' : ''}${snapshot.strings[snapshot.nodes[at + nameAt]!]}`
        : `(${type})`;
    const sum = sums.get(name) ?? { size: 0, count: 0 };
    sum.size += snapshot.nodes[at + sizeAt]!;
    sum.count += 1;
    sums.set(name, sum);
  }
  return [...sums]
    .map(([name, { size, count }]) => ({ name, mib: size / MIB, count }))
    .sort((a, b) => b.mib - a.mib)
    .slice(0, top);
}

/** The page's garbage collections after `start` on its main thread (devtools.timeline's MajorGC / MinorGC): each pause with the heap before and after. */
export function gcPauses(
  events: readonly TraceEvent[],
  start: TraceEvent,
): Array<{ kind: string; ms: number; cpuMs: number; beforeMib: number; afterMib: number }> {
  return events
    .filter(
      (e) =>
        e.pid === start.pid &&
        e.tid === start.tid &&
        e.ts >= start.ts &&
        (e.name === 'MajorGC' || e.name === 'MinorGC') &&
        e.ph === 'X',
    )
    .map((e) => {
      const args = e.args as { usedHeapSizeBefore?: number; usedHeapSizeAfter?: number } | undefined;
      return {
        kind: e.name,
        ms: (e.dur ?? 0) / 1000,
        cpuMs: (e.tdur ?? Number.NaN) / 1000,
        beforeMib: (args?.usedHeapSizeBefore ?? 0) / MIB,
        afterMib: (args?.usedHeapSizeAfter ?? 0) / MIB,
      };
    })
    .sort((a, b) => b.ms - a.ms);
}
