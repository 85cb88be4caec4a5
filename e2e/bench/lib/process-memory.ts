import { readdirSync, readFileSync } from 'node:fs';

function statusField(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // the process is gone
  }
}

/** Proportional set size (shared pages divided among their sharers), bytes. */
export function pss(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The process and all its descendants, from /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

export interface MemoryPeak {
  /** Highest sum of RSS over the tree at one sample, bytes. */
  readonly rss: number;
  /** Highest sum of PSS over the tree at one sample, bytes (counts shared pages once). */
  readonly pss: number;
  /** Most processes seen at once. */
  readonly processes: number;
}

/**
 * Samples the memory of a process tree (a forking server's children included) every `intervalMs`
 * until stopped; for a single process, its kernel-kept peak (VmHWM) is used as well.
 */
export function sampleMemory(root: number, intervalMs = 250): { stop(): MemoryPeak } {
  let peak = { rss: 0, pss: 0, processes: 0 };
  const sample = () => {
    const tree = processTree(root);
    const rss = tree.reduce((sum, pid) => sum + statusField(pid, 'VmRSS'), 0);
    const proportional = tree.reduce((sum, pid) => sum + pss(pid), 0);
    peak = {
      rss: Math.max(peak.rss, rss, tree.length === 1 ? statusField(root, 'VmHWM') : 0),
      pss: Math.max(peak.pss, proportional),
      processes: Math.max(peak.processes, tree.length),
    };
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
