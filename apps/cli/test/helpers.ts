import { PassThrough } from 'node:stream';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { startPop3Server, type Pop3ServerOptions, type RunningPop3Server } from '@webpop/testkit';
import { run, type Io, type TtyFlags } from '../src/index.js';

/** Collects what a command writes. */
class Capture {
  readonly chunks: Buffer[] = [];
  constructor(
    readonly columns?: number,
    private readonly onWrite?: (text: string) => void,
  ) {}
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
    this.onWrite?.(this.text());
    return true;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
  text(): string {
    return this.bytes().toString('utf8');
  }
}

/** A stand-in for a terminal's stdin: records raw-mode switches, types when asked. */
export class FakeTerminalInput extends PassThrough {
  readonly rawModes: boolean[] = [];
  private echoTurnedOff: () => void = () => {};
  /** Resolves when raw mode is first switched on: the prompt is up, echo off, the moment to type. */
  readonly prompting = new Promise<void>((resolve) => (this.echoTurnedOff = resolve));
  setRawMode = (mode: boolean): this => {
    this.rawModes.push(mode);
    if (mode) this.echoTurnedOff();
    return this;
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  isTTY?: TtyFlags;
  stdin?: Io['stdin'];
  columns?: number;
  signal?: AbortSignal;
  /** Aborted on "SIGTERM" (abort `signal` with it, as main.ts does). */
  terminate?: AbortSignal;
  /** Replaces the timer between `fetch --watch` runs. */
  sleep?: Io['sleep'];
  /** Called with all of stderr so far after each write (to act at a precise point of a run). */
  onStderr?: (text: string) => void;
}

/** The test password: made up here, never a real one. */
export const PASSWORD = 'correct horse battery staple';

/** Runs `webpop …argv` in-process with captured streams. */
export async function webpop(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture(options.columns);
  const stderr = new Capture(options.columns, options.onStderr);
  const code = await run(argv, {
    stdout,
    stderr,
    stdin: options.stdin ?? new PassThrough(),
    env: options.env ?? { WEBPOP_PASSWORD: PASSWORD, XDG_STATE_HOME: currentStateHome },
    isTTY: options.isTTY ?? false,
    signal: options.signal,
    ...(options.terminate ? { terminate: options.terminate } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), stdoutBytes: stdout.bytes() };
}

/** Connection flags for a testkit server on loopback, plain TCP (CRAM-MD5 needs no --allow-plaintext). */
export function serverArgs(server: { host: string; port: number }, user = 'alice'): string[] {
  return ['--host', server.host, '--port', String(server.port), '--security', 'none', '--user', user];
}

/** XDG_STATE_HOME for runs with the default env: a fresh one per withTempDir, so tests never share fetch state. */
let currentStateHome: string | undefined;

/** The state home of the current withTempDir (fetch keeps its state file under it, apart from `dir`). */
export function stateHome(): string {
  if (currentStateHome === undefined) throw new Error('stateHome() outside withTempDir');
  return currentStateHome;
}

/** A temporary folder for the output, and beside it a temporary XDG_STATE_HOME; both removed after. */
export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(join(tmpdir(), 'webpop-cli-test-'));
  const dir = join(root, 'out');
  await mkdir(dir);
  currentStateHome = join(root, 'state');
  try {
    return await use(dir);
  } finally {
    currentStateHome = undefined;
    await rm(root, { recursive: true, force: true });
  }
}

/** The commands the server received since its command log had `start` entries. */
export function commandsSince(pop3: RunningPop3Server, start: number): string[] {
  return pop3.commandLog.slice(start).map((entry) => entry.command);
}

/**
 * A testkit POP3 server per test: `start(options)` starts one with the file's defaults (by default
 * alice, PASSWORD, no messages) overridden by `options`; it is closed after each test.
 */
export function serverPerTest(
  defaults: Partial<Pop3ServerOptions> = {},
): (options?: Partial<Pop3ServerOptions>) => Promise<RunningPop3Server> {
  let server: RunningPop3Server | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (options = {}) => {
    server = await startPop3Server({
      accounts: [{ username: 'alice', password: PASSWORD, messages: [] }],
      ...defaults,
      ...options,
    });
    return server;
  };
}
