import { fileURLToPath } from 'node:url';
import { startPortChild } from './child-process.js';

const script = fileURLToPath(new URL('../peers/testkit-server.ts', import.meta.url));

export interface TestkitProcess {
  readonly pid: number;
  readonly host: '127.0.0.1';
  readonly port: number;
  stop(): Promise<void>;
}

/** Runs testkit's POP3 server (user "bench", 20 generated messages) in a child process. */
export async function startTestkitProcess(password: string): Promise<TestkitProcess> {
  const child = await startPortChild(
    ['--conditions=@webpop/source', '--import', 'tsx', script],
    'the testkit server',
    { ...process.env, BENCH_POP3_PASSWORD: password },
  );
  return { ...child, host: '127.0.0.1', stop: child.stop };
}
