/** Where imported messages go (the mail store's `importRaw`: one record per distinct message). */
export interface ImportTarget {
  /** `fromLine`: the message's `From ` line in the mbox it came from (none for a `.eml`). */
  importRaw(bytes: Uint8Array, fromLine?: string): Promise<unknown>;
}

/** One message read from an mbox: its bytes as they were before quoting, and its `From ` line. */
export interface MboxEntry {
  readonly bytes: Uint8Array;
  readonly fromLine: string;
}

/** Splits an mbox stream into its messages, exactly as they were before quoting (mboxrd). */
export type MboxDecoder = (stream: ReadableStream<Uint8Array>) => AsyncIterable<MboxEntry>;

export interface ImportProgress {
  readonly files: number;
  readonly messages: number;
}

export interface ImportFailure {
  readonly file: string;
  readonly error: unknown;
}

export interface ImportResult extends ImportProgress {
  readonly failed: readonly ImportFailure[];
}

/** What a file is: an mbox (several messages, each after a `From ` line) or one message. */
export async function fileKind(file: Blob & { readonly name: string }): Promise<'mbox' | 'eml'> {
  if (/\.(mbox|mbx)$/i.test(file.name)) return 'mbox';
  if (/\.eml$/i.test(file.name)) return 'eml';
  const start = new Uint8Array(await file.slice(0, 5).arrayBuffer());
  return String.fromCharCode(...start) === 'From ' ? 'mbox' : 'eml';
}

/**
 * Imports `.eml` and mbox files, one message at a time: an mbox is read as a stream and each message
 * goes to the store before the next is decoded, so a large mbox never needs its size in memory. A file
 * that fails is reported and the others go on; messages of a failed mbox that were stored stay.
 */
export async function importFiles(
  files: ReadonlyArray<Blob & { readonly name: string }>,
  target: ImportTarget,
  decodeMbox: MboxDecoder,
  options: { signal?: AbortSignal; onProgress?: (progress: ImportProgress) => void } = {},
): Promise<ImportResult> {
  let messages = 0;
  let done = 0;
  const failed: ImportFailure[] = [];
  const store = async (bytes: Uint8Array, fromLine?: string) => {
    options.signal?.throwIfAborted();
    await target.importRaw(bytes, fromLine);
    messages++;
    options.onProgress?.({ files: done, messages });
  };
  for (const file of files) {
    options.signal?.throwIfAborted();
    try {
      if ((await fileKind(file)) === 'eml') await store(new Uint8Array(await file.arrayBuffer()));
      else for await (const entry of decodeMbox(file.stream())) await store(entry.bytes, entry.fromLine);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      failed.push({ file: file.name, error });
    }
    done++;
    options.onProgress?.({ files: done, messages });
  }
  return { files: done, messages, failed };
}
