import type { ServerResponse } from 'node:http';
import type { MetricsSnapshot } from '../metrics.js';
import type { ProcessSamples } from '../process-metrics.js';

const startSeconds = Math.floor(Date.now() / 1000 - process.uptime());

/** The metrics in the Prometheus text exposition format (version 0.0.4). */
export function renderMetrics(m: MetricsSnapshot, p: ProcessSamples): string {
  const memory = p.memory;
  const lines: string[] = [];
  const metric = (
    name: string,
    type: 'gauge' | 'counter' | 'summary',
    help: string,
    samples: Array<[string, number]>,
  ) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${plain(value)}`);
  };
  metric('webpop_bridge_connections_open', 'gauge', 'Relays open now.', [['', m.connectionsOpen]]);
  metric(
    'webpop_bridge_connections_total',
    'counter',
    'WebSocket relays since start, refused ones included.',
    [['', m.connectionsTotal]],
  );
  metric('webpop_bridge_bytes_total', 'counter', 'Bytes relayed, by direction.', [
    ['{direction="to_server"}', m.bytesToServer],
    ['{direction="to_client"}', m.bytesToClient],
  ]);
  metric(
    'webpop_bridge_errors_total',
    'counter',
    'Relays ended with an error frame, by its code.',
    Object.entries(m.errors).map(([code, count]) => [`{code="${code}"}`, count]),
  );
  metric('webpop_bridge_buffered_bytes', 'gauge', 'Bytes waiting in the bridge now, by direction.', [
    ['{direction="to_server"}', m.bufferedToServer],
    ['{direction="to_client"}', m.bufferedToClient],
  ]);
  metric('webpop_bridge_draining', 'gauge', '1 after SIGTERM while open relays finish.', [
    ['', m.draining ? 1 : 0],
  ]);
  metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [['', memory.rss]]);
  metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, in bytes.', [['', memory.heapUsed]]);
  metric('nodejs_array_buffers_bytes', 'gauge', 'Memory of ArrayBuffers and Buffers, in bytes.', [
    ['', memory.arrayBuffers],
  ]);
  metric('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch.', [
    ['', startSeconds],
  ]);
  // prom-client's defaults, by their names.
  metric('process_cpu_user_seconds_total', 'counter', 'User CPU time spent in seconds.', [
    ['', p.cpuUserSeconds],
  ]);
  metric('process_cpu_system_seconds_total', 'counter', 'System CPU time spent in seconds.', [
    ['', p.cpuSystemSeconds],
  ]);
  metric('process_cpu_seconds_total', 'counter', 'User and system CPU time spent in seconds.', [
    ['', p.cpuUserSeconds + p.cpuSystemSeconds],
  ]);
  if (p.openFds !== null)
    metric('process_open_fds', 'gauge', 'Number of open file descriptors.', [['', p.openFds]]);
  metric('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap size in bytes.', [['', memory.heapTotal]]);
  metric('nodejs_external_memory_bytes', 'gauge', 'Memory of C++ objects bound to JavaScript, in bytes.', [
    ['', memory.external],
  ]);
  for (const [suffix, value, what] of [
    ['mean', p.lag.mean, 'Mean'],
    ['p50', p.lag.p50, 'The 50th percentile of the'],
    ['p99', p.lag.p99, 'The 99th percentile of the'],
    ['max', p.lag.max, 'Maximum'],
  ] as const) {
    metric(
      `nodejs_eventloop_lag_${suffix}_seconds`,
      'gauge',
      `${what} event loop delay since the last scrape.`,
      [['', value]],
    );
  }
  lines.push(
    '# HELP nodejs_gc_duration_seconds Garbage collection duration by kind.',
    '# TYPE nodejs_gc_duration_seconds summary',
  );
  for (const [kind, totals] of p.gc) {
    lines.push(`nodejs_gc_duration_seconds_sum{kind="${kind}"} ${plain(totals.seconds)}`);
    lines.push(`nodejs_gc_duration_seconds_count{kind="${kind}"} ${totals.count}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A sample value in plain decimal notation (no exponent). */
function plain(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(9).replace(/\.?0+$/, '');
}

export function serveMetrics(
  res: ServerResponse,
  snapshot: MetricsSnapshot,
  processSamples: ProcessSamples,
  head: boolean,
): void {
  const body = renderMetrics(snapshot, processSamples);
  res.writeHead(200, {
    'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}
