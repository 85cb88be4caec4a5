// Reading a V8 CPU profile (DevTools' Profiler domain): self and inclusive time per function, so a
// measured reason for a missed target names the code, not a guess.
import type { CDPSession } from '@playwright/test';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

export interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Starts V8's sampling profiler on the page's main thread (100 µs between samples). */
export async function startCpuProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
}

export async function stopCpuProfile(cdp: CDPSession): Promise<CpuProfile> {
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  return profile;
}

export interface FunctionTime {
  readonly name: string;
  /** Milliseconds with the function on top of the stack. */
  readonly selfMs: number;
  /** Milliseconds with the function anywhere on the stack (counted once per sample). */
  readonly totalMs: number;
}

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split('/').pop() ?? '';
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
};

/** Self and inclusive time per function (by name and place), longest first by `sort`. */
export function functionTimes(profile: CpuProfile, sort: 'selfMs' | 'totalMs' = 'selfMs'): FunctionTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    // A sample's weight is the time to the next one.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const top = byId.get(id)!;
    self.set(label(top), (self.get(label(top)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  return [...total.keys()]
    .map((name) => ({ name, selfMs: self.get(name) ?? 0, totalMs: total.get(name) ?? 0 }))
    .sort((a, b) => b[sort] - a[sort]);
}

/** The profile's span in milliseconds. */
export const profileSpanMs = (profile: CpuProfile) => (profile.endTime - profile.startTime) / 1000;

/**
 * A profile as the profile scripts print it: its span, the JavaScript and GC time in it (idle, program
 * and root left out), and the `top` functions by self time, then by inclusive time.
 */
export function describeProfile(profile: CpuProfile, top: number): string {
  const times = functionTimes(profile);
  const busy = times
    .filter((t) => !['(idle)', '(program)', '(root)'].includes(t.name.split(' ')[0]!))
    .reduce((sum, t) => sum + t.selfMs, 0);
  const row = (t: FunctionTime) =>
    `${t.selfMs.toFixed(1).padStart(7)}  ${t.totalMs.toFixed(1).padStart(8)}  ${t.name}\n`;
  return (
    `profile span ${profileSpanMs(profile).toFixed(0)} ms, JavaScript and GC ${busy.toFixed(0)} ms\n` +
    `\nself ms  total ms  function\n` +
    times.slice(0, top).map(row).join('') +
    `\nby inclusive time\n` +
    functionTimes(profile, 'totalMs').slice(0, top).map(row).join('')
  );
}
