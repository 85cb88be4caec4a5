import type { ServerResponse } from 'node:http';
import type { MetricsSnapshot } from '../metrics.js';

const startSeconds = Math.floor(Date.now() / 1000 - process.uptime());

/** The metrics in the Prometheus text exposition format (version 0.0.4). */
export function renderMetrics(m: MetricsSnapshot): string {
  const memory = process.memoryUsage();
  const lines: string[] = [];
  const metric = (
    name: string,
    type: 'gauge' | 'counter',
    help: string,
    samples: Array<[string, number]>,
  ) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
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
  return `${lines.join('\n')}\n`;
}

export function serveMetrics(res: ServerResponse, snapshot: MetricsSnapshot, head: boolean): void {
  const body = renderMetrics(snapshot);
  res.writeHead(200, {
    'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}
