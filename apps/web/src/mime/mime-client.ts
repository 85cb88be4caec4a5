import { MimeLimitError, mimeLimits, parseBudgetMs } from './limits.js';
import type { ParsedMessage, WorkerRequest, WorkerResponse } from './types.js';

/** The part of a Worker the parser uses (tests pass a fake). */
export interface ParserWorker {
  onmessage: ((event: MessageEvent<WorkerResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
  terminate(): void;
}

type Pending = {
  resolve: (message: ParsedMessage) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
};

/**
 * Parses messages in a worker made by `createWorker`, one worker at a time. A parse that does not
 * answer within its budget (`timeoutMs`, plus mimeLimits.parseTimeoutMsPerMiB for each whole MiB of the
 * message: see parseBudgetMs) fails with MimeLimitError and the worker is terminated (a MIME bomb cannot
 * keep it busy); the next parse starts a fresh one.
 */
export function createWorkerParser(
  createWorker: () => ParserWorker,
  timeoutMs: number = mimeLimits.parseTimeoutMs,
): (bytes: Uint8Array, signal?: AbortSignal) => Promise<ParsedMessage> {
  let worker: ParserWorker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const settle = (id: number): Pending | undefined => {
    const entry = pending.get(id);
    if (!entry) return undefined;
    pending.delete(id);
    clearTimeout(entry.timer);
    return entry;
  };

  /** Ends the worker and fails whatever it was still parsing. */
  const discard = (error: Error) => {
    for (const id of [...pending.keys()]) settle(id)?.reject(error);
    worker?.terminate();
    worker = undefined;
  };

  const getWorker = (): ParserWorker => {
    if (worker) return worker;
    const created = createWorker();
    created.onmessage = (event) => {
      const response = event.data;
      const entry = settle(response.id);
      if (!entry) return;
      if (response.ok) entry.resolve(response.message);
      else entry.reject(response.limit ? new MimeLimitError(response.error) : new Error(response.error));
    };
    created.onerror = (event) => {
      discard(new Error(`the message parser failed: ${event.message || 'worker error'}`));
    };
    worker = created;
    return created;
  };

  return (bytes, signal) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const copy = bytes.slice().buffer as ArrayBuffer;
      const budgetMs = parseBudgetMs(bytes.length, timeoutMs);
      const timer = setTimeout(() => {
        if (!pending.has(id)) return;
        discard(new MimeLimitError(`parsing took longer than ${Math.round(budgetMs / 1000)} s`));
      }, budgetMs);
      pending.set(id, { resolve, reject, timer });
      signal?.addEventListener(
        'abort',
        () => {
          if (settle(id)) reject(new DOMException('cancelled', 'AbortError'));
        },
        { once: true },
      );
      getWorker().postMessage({ id, bytes: copy }, [copy]);
    });
}

/** Parses a message in the MIME worker; the caller keeps its bytes (a copy is sent). */
export const parseInWorker = createWorkerParser(
  () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'mime' }),
);
