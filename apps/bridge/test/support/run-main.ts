import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const mainTs = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/**
 * How long one run of the executable may take. Each run starts Node and tsx and transpiles the bridge
 * from its sources: about 7.5 s a run at a load average of 17 on 2 cores (seven runs in a row took
 * 53 s and overran a 30 s test timeout), well under a second on a quiet machine. A run that is killed
 * at this deadline fails with its signal named, not as a wrong exit status.
 */
export const MAIN_RUN_TIMEOUT_MS = 90_000;

/** The timeout for a test that runs the executable `runs` times one after another. */
export const mainRunsTimeout = (runs: number): number => runs * MAIN_RUN_TIMEOUT_MS + 30_000;

export interface MainRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `webpop-bridge ARGS` from the sources to its exit, without blocking the test's event loop
 * (a spawnSync would also keep a test timeout from firing until the child ends).
 */
export function runMain(args: string[], env: Record<string, string> = {}): Promise<MainRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--conditions=@webpop/source', '--import', 'tsx', mainTs, ...args],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env }, timeout: MAIN_RUN_TIMEOUT_MS },
      (error, stdout, stderr) => {
        // A non-zero exit is a result to assert on; a kill at the deadline or a failure to start is not.
        if (error && typeof error.code !== 'number') {
          reject(new Error(`webpop-bridge ${args.join(' ')}: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ status: child.exitCode, signal: child.signalCode, stdout, stderr });
      },
    );
  });
}
