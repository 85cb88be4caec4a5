import { readdirSync } from 'node:fs';
import {
  constants,
  monitorEventLoopDelay,
  PerformanceObserver,
  type IntervalHistogram,
} from 'node:perf_hooks';

/**
 * The process's own health, under the names prom-client's default metrics use (event-loop lag, GC,
 * memory, CPU, file descriptors), measured with node:perf_hooks instead of prom-client itself: measured
 * on the shared 2-core machine, importing prom-client and starting its defaults cost 0.6–1.1 s of
 * start-up and 10 MiB of RSS (pino another 0.3–0.5 s and 7 MiB) against a bridge that starts in
 * 2.5–6 s with 57–62 MiB (all under load; apps/bridge/README.md, "Logs and metrics").
 */
export class ProcessMetrics {
  private readonly lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly gc = new Map<string, { count: number; seconds: number }>();
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = gcKind((entry as { detail?: { kind?: number } }).detail?.kind);
      const totals = this.gc.get(kind) ?? { count: 0, seconds: 0 };
      totals.count++;
      totals.seconds += entry.duration / 1000;
      this.gc.set(kind, totals);
    }
  });

  constructor() {
    this.lag.enable();
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Samples since the last call (the lag percentiles start over after each scrape, as prom-client's do). */
  samples(): ProcessSamples {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const lag = {
      mean: nanosToSeconds(this.lag.mean),
      p50: nanosToSeconds(this.lag.percentile(50)),
      p99: nanosToSeconds(this.lag.percentile(99)),
      max: nanosToSeconds(this.lag.max),
    };
    this.lag.reset();
    return {
      cpuUserSeconds: cpu.user / 1e6,
      cpuSystemSeconds: cpu.system / 1e6,
      openFds: openFileDescriptors(),
      memory,
      lag,
      gc: new Map([...this.gc].map(([kind, totals]) => [kind, { ...totals }])),
    };
  }

  stop(): void {
    this.lag.disable();
    this.observer.disconnect();
  }
}

export interface ProcessSamples {
  readonly cpuUserSeconds: number;
  readonly cpuSystemSeconds: number;
  /** Null where /proc/self/fd is not readable (not Linux). */
  readonly openFds: number | null;
  readonly memory: NodeJS.MemoryUsage;
  readonly lag: { readonly mean: number; readonly p50: number; readonly p99: number; readonly max: number };
  readonly gc: ReadonlyMap<string, { readonly count: number; readonly seconds: number }>;
}

/** NaN before the first sample (an idle loop) counts as no lag. */
function nanosToSeconds(nanos: number): number {
  return Number.isFinite(nanos) ? nanos / 1e9 : 0;
}

function gcKind(kind: number | undefined): string {
  switch (kind) {
    case constants.NODE_PERFORMANCE_GC_MAJOR:
      return 'major';
    case constants.NODE_PERFORMANCE_GC_MINOR:
      return 'minor';
    case constants.NODE_PERFORMANCE_GC_INCREMENTAL:
      return 'incremental';
    case constants.NODE_PERFORMANCE_GC_WEAKCB:
      return 'weakcb';
    default:
      return 'other';
  }
}

function openFileDescriptors(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}
