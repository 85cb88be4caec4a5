import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridge, type BridgeOptions, type RunningBridge } from '../../src/index.js';
import type { SessionLogRecord } from '../../src/log.js';

export interface TestBridge extends RunningBridge {
  /** Every log line, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** The session lines so far. */
  sessions(): SessionLogRecord[];
  /** Waits for the n-th session line (1-based). */
  sessionLog(n?: number): Promise<SessionLogRecord>;
}

const running: RunningBridge[] = [];
const dirs: string[] = [];

/** A bridge on an ephemeral loopback port, logging into a list; stopped by stopAll(). */
export async function startTestBridge(
  config: Record<string, unknown>,
  options: BridgeOptions = {},
): Promise<TestBridge> {
  const logs: Array<Record<string, unknown>> = [];
  const bridge = await startBridge(
    { staticDir: '/nonexistent-webpop-static', ...config, listen: { host: '127.0.0.1', port: 0 } },
    {
      ...options,
      log: (line) => {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  running.push(bridge);
  const sessions = () => logs.filter((l) => l.event === 'session') as unknown as SessionLogRecord[];
  return {
    url: bridge.url,
    relayUrl: bridge.relayUrl,
    host: bridge.host,
    port: bridge.port,
    get config() {
      return bridge.config;
    },
    metrics: bridge.metrics,
    reload: bridge.reload,
    shutdown: bridge.shutdown,
    close: bridge.close,
    get openSessions() {
      return bridge.openSessions;
    },
    logs,
    sessions,
    async sessionLog(n = 1) {
      const deadline = Date.now() + 10_000;
      while (sessions().length < n) {
        if (Date.now() > deadline) throw new Error(`no session log line #${n}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return sessions()[n - 1] as SessionLogRecord;
    },
  };
}

export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((bridge) => bridge.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A temp dir removed by stopAll(), with files written into it. */
export async function tempFiles(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'webpop-bridge-test-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** A resolver stub: answers from the table, fails with ENOTFOUND otherwise, and records every query. */
export function stubResolver(table: Record<string, string[]>) {
  const queries: string[] = [];
  const resolver = async (host: string): Promise<string[]> => {
    queries.push(host);
    const answer = table[host];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return answer;
  };
  return { resolver, queries };
}
