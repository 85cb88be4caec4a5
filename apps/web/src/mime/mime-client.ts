import type { ParsedMessage, WorkerRequest, WorkerResponse } from './types.js';

type Pending = { resolve: (message: ParsedMessage) => void; reject: (error: Error) => void };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'mime' });
  worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
    const response = event.data;
    const entry = pending.get(response.id);
    if (!entry) return;
    pending.delete(response.id);
    if (response.ok) entry.resolve(response.message);
    else entry.reject(new Error(response.error));
  };
  worker.onerror = (event) => {
    const error = new Error(`the message parser failed: ${event.message || 'worker error'}`);
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
    worker?.terminate();
    worker = undefined;
  };
  return worker;
}

/** Parses a message in the MIME worker; the caller keeps its bytes (a copy is sent). */
export function parseInWorker(bytes: Uint8Array, signal?: AbortSignal): Promise<ParsedMessage> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const copy = bytes.slice().buffer as ArrayBuffer;
    pending.set(id, { resolve, reject });
    signal?.addEventListener(
      'abort',
      () => {
        if (pending.delete(id)) reject(new DOMException('cancelled', 'AbortError'));
      },
      { once: true },
    );
    const request: WorkerRequest = { id, bytes: copy };
    getWorker().postMessage(request, [copy]);
  });
}
