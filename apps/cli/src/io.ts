/** A stream the command writes to: process.stdout, process.stderr, or a capture in tests. */
export interface Output {
  write(chunk: string | Uint8Array): boolean;
  /** Terminal width, when the stream is a terminal. */
  readonly columns?: number;
}

/**
 * Where keystrokes come from: process.stdin, or a stand-in in tests (a PassThrough). A readable
 * stream, so that `webpop shell` can read lines from it with node:readline.
 */
export interface Input extends NodeJS.ReadableStream {
  /** Present on a terminal: turns echo and line editing off. */
  setRawMode?: (mode: boolean) => unknown;
}

/** Which of the three streams is a terminal; a single boolean means all of them or none. */
export type TtyFlags =
  boolean | { readonly stdin?: boolean; readonly stdout?: boolean; readonly stderr?: boolean };

/** Everything `run` touches outside itself, so that tests can run it in-process. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly stdin: Input;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: TtyFlags;
  /** Aborted on Ctrl-C (SIGINT) and on SIGTERM: a running command stops, deletes nothing, and ends the session. */
  readonly signal?: AbortSignal;
  /** Aborted on SIGTERM (with `signal`): `fetch --watch` then stops cleanly, exit code 0. */
  readonly terminate?: AbortSignal;
  /** Waits `ms` or until `signal` aborts (`fetch --watch` between runs); by default a timer. */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/** The exit code of a command that was stopped: 143 (128 + SIGTERM) when terminated, else 130 (Ctrl-C). */
export function interruptedExitCode(io: Io): number {
  return io.terminate?.aborted ? 143 : 130;
}

export function isTty(io: Io, stream: 'stdin' | 'stdout' | 'stderr'): boolean {
  return typeof io.isTTY === 'boolean' ? io.isTTY : io.isTTY[stream] === true;
}

export function println(out: Output, line = ''): void {
  out.write(`${line}\n`);
}
