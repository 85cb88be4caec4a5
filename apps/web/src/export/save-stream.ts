import { downloadBlob } from '../lib/download.js';
import { sanitizeFilename } from '../lib/filename.js';
import { BLOB_PART_BYTES } from './limits.js';
import { ExportError } from './types.js';

/** Where an export's bytes go: a file the user picked (written as they come), or a download at the end. */
export interface FileSink {
  readonly kind: 'file' | 'download';
  /** Writes the whole stream; rejects with an ExportError (`write`), or the signal's reason. */
  write(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<void>;
}

/** The part of the File System Access API used here (not yet in TypeScript's DOM types). */
interface SaveFilePicker {
  showSaveFilePicker(options: {
    suggestedName: string;
    types?: Array<{ description: string; accept: Record<string, string[]> }>;
  }): Promise<FileSystemFileHandle>;
}

function hasSaveFilePicker(scope: unknown): scope is SaveFilePicker {
  return typeof (scope as Partial<SaveFilePicker>).showSaveFilePicker === 'function';
}

export interface SinkOptions {
  readonly suggestedName: string;
  /** E.g. `{ description: 'mbox', mime: 'application/mbox', extension: '.mbox' }`. */
  readonly type: { readonly description: string; readonly mime: string; readonly extension: string };
  /** Tests pass `globalThis` without the picker to take the download path. */
  readonly scope?: unknown;
}

/**
 * Chooses where an export goes. Call it first in the click handler: the save dialog needs the click's
 * user activation. Where the File System Access API exists (Chromium), the user picks a file and the
 * bytes are written to it as they are produced — memory stays flat however large the export, and the
 * file appears only when complete (the browser writes to a temporary file until close). Elsewhere the
 * bytes are gathered as a Blob in parts (`BLOB_PART_BYTES`) and downloaded at the end. Resolves to
 * `null` when the user closes the dialog.
 */
export async function chooseFileSink(options: SinkOptions): Promise<FileSink | null> {
  const name = sanitizeFilename(options.suggestedName, `export${options.type.extension}`);
  const scope = options.scope ?? globalThis;
  if (!hasSaveFilePicker(scope)) return blobDownloadSink(name, options.type.mime);
  let handle: FileSystemFileHandle;
  try {
    handle = await scope.showSaveFilePicker({
      suggestedName: name,
      types: [
        { description: options.type.description, accept: { [options.type.mime]: [options.type.extension] } },
      ],
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return null;
    // No activation left, or a browser that refuses the dialog here: fall back to a download.
    return blobDownloadSink(name, options.type.mime);
  }
  return fileHandleSink(handle);
}

/** Writes a stream into a file handle; an error or an abort discards the file's new content. */
export function fileHandleSink(handle: FileSystemFileHandle): FileSink {
  return {
    kind: 'file',
    async write(stream, signal) {
      let writable: FileSystemWritableFileStream;
      try {
        writable = await handle.createWritable();
      } catch (error) {
        throw new ExportError('write', `the file could not be opened: ${String(error)}`, { cause: error });
      }
      // pipeTo aborts the writable on a failed or aborted source, which drops what was written.
      await stream.pipeTo(writable, signal ? { signal } : {}).catch((error: unknown) => {
        if (signal?.aborted || error instanceof ExportError) throw error;
        throw new ExportError('write', `the file could not be written: ${String(error)}`, { cause: error });
      });
    },
  };
}

/** Gathers a stream into a Blob, a part every `partBytes`, and downloads it when the stream ends. */
export function blobDownloadSink(name: string, mime: string, partBytes = BLOB_PART_BYTES): FileSink {
  return {
    kind: 'download',
    async write(stream, signal) {
      const blob = await streamToBlob(stream, mime, partBytes, signal);
      downloadBlob(blob, name);
    },
  };
}

/**
 * A stream as one Blob. Chunks are joined into a Blob part every `partBytes`, so the page's own memory
 * holds at most one part of pending chunks; the parts themselves are Blobs, kept by the browser.
 */
export async function streamToBlob(
  stream: ReadableStream<Uint8Array>,
  mime: string,
  partBytes = BLOB_PART_BYTES,
  signal?: AbortSignal,
): Promise<Blob> {
  const parts: Blob[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (done) break;
      pending.push(value);
      pendingBytes += value.length;
      if (pendingBytes >= partBytes) {
        parts.push(new Blob(pending as BlobPart[]));
        pending = [];
        pendingBytes = 0;
      }
    }
    if (signal?.aborted) throw signal.reason;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
  if (pending.length > 0) parts.push(new Blob(pending as BlobPart[]));
  return new Blob(parts, { type: mime });
}
