import { readFileSync } from 'node:fs';
import { processCpuMs } from './process-cpu.js';
import { processTree } from './process-memory.js';

/** Chromium's processes among this process's descendants: the browser (no `--type=`) and its renderers. */
function chromiumProcesses(): Array<{ pid: number; kind: 'browser' | 'renderer' | 'other' }> {
  const found: Array<{ pid: number; kind: 'browser' | 'renderer' | 'other' }> = [];
  for (const pid of processTree(process.pid)) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    } catch {
      continue;
    }
    if (!/chrom/i.test(args[0] ?? '')) continue;
    const type = args.find((arg) => arg.startsWith('--type='));
    found.push({ pid, kind: !type ? 'browser' : type === '--type=renderer' ? 'renderer' : 'other' });
  }
  return found;
}

/** CPU milliseconds the live Chromium processes have used so far (user + system, from /proc): the
 * renderers, and every process (the browser, the storage service that runs IndexedDB, the network
 * service, the GPU process). */
export function chromiumCpuMs(): { renderers: number; all: number } {
  const processes = chromiumProcesses().map((p) => ({ ...p, cpu: processCpuMs(p.pid) }));
  return {
    renderers: processes.filter((p) => p.kind === 'renderer').reduce((sum, p) => sum + p.cpu, 0),
    all: processes.reduce((sum, p) => sum + p.cpu, 0),
  };
}

function pss(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

export interface ChromiumMemory {
  /** PSS of the renderer processes, bytes. */
  readonly renderers: number;
  /** PSS of every Chromium process (browser, renderers, GPU/utility), bytes. */
  readonly all: number;
}

function chromiumMemory(): ChromiumMemory {
  const processes = chromiumProcesses();
  const sizes = processes.map((p) => ({ ...p, pss: pss(p.pid) }));
  return {
    renderers: sizes.filter((p) => p.kind === 'renderer').reduce((sum, p) => sum + p.pss, 0),
    all: sizes.reduce((sum, p) => sum + p.pss, 0),
  };
}

/** Samples Chromium's memory every `intervalMs` until stopped: the first sample and the peaks. */
export function sampleChromiumMemory(intervalMs = 100): {
  stop(): { readonly before: ChromiumMemory; readonly peak: ChromiumMemory };
} {
  const before = chromiumMemory();
  let peak = before;
  const sample = () => {
    const now = chromiumMemory();
    peak = { renderers: Math.max(peak.renderers, now.renderers), all: Math.max(peak.all, now.all) };
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { before, peak };
    },
  };
}
