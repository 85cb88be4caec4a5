import type { FileSink } from './save-stream.js';
import type { ExportFormat, ExportItem } from './types.js';

export interface ExportProgress {
  readonly messages: number;
  readonly bytes: number;
}

/** How each format turns messages into a stream of file bytes. */
export type ExportEncoders = Readonly<
  Record<ExportFormat, (items: AsyncIterable<ExportItem>) => ReadableStream<Uint8Array>>
>;

export interface ExportRun {
  readonly items: AsyncIterable<ExportItem>;
  readonly format: ExportFormat;
  readonly sink: FileSink;
  readonly encoders: ExportEncoders;
  readonly signal?: AbortSignal;
  /** As each message is handed to the encoder. */
  readonly onProgress?: (progress: ExportProgress) => void;
}

/**
 * Streams messages into a file: the encoder pulls one message at a time as the sink writes, so memory
 * holds one message (and the sink's part) however large the export. Resolves with what was written.
 */
export async function runExport(run: ExportRun): Promise<ExportProgress> {
  const progress = { messages: 0, bytes: 0 };
  async function* counted(): AsyncGenerator<ExportItem> {
    for await (const item of run.items) {
      progress.messages++;
      progress.bytes += item.bytes.length;
      run.onProgress?.({ ...progress });
      yield item;
    }
  }
  await run.sink.write(run.encoders[run.format](counted()), run.signal);
  return { ...progress };
}
