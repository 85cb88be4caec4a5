// The MIME worker: postal-mime parses RETR bytes here, off the main thread and out of the app shell.
import { MimeLimitError } from './limits.js';
import { parseMessage } from './parse.js';
import type { WorkerRequest, WorkerResponse } from './types.js';

/** The part of DedicatedWorkerGlobalScope used here (the app is type-checked with the DOM library). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { id, bytes } = event.data;
  parseMessage(new Uint8Array(bytes)).then(
    (message) => {
      scope.postMessage(
        { id, ok: true, message },
        message.attachments.map((attachment) => attachment.content),
      );
    },
    (error: unknown) => {
      scope.postMessage({
        id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        limit: error instanceof MimeLimitError,
      });
    },
  );
};
