// Export and import through the real mail store (fake-indexeddb): the corpus imported, exported as mbox
// and as a zip, imported again into another account and exported again, byte-exact every time.
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { joinMbox, splitMbox } from '@webpop/mailfile';
import { corpusMessages } from '@webpop/testkit';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeMboxFile, exportEncoders } from '../src/export/formats.js';
import { storedItems } from '../src/export/from-store.js';
import { fileKind, importFiles } from '../src/export/import-files.js';
import { runExport } from '../src/export/run-export.js';
import type { FileSink } from '../src/export/save-stream.js';
import type { ExportFormat } from '../src/export/types.js';
import { MailStore } from '../src/mailstore/index.js';

const corpus = await corpusMessages();
const digests = (messages: readonly Uint8Array[]) =>
  messages.map((bytes) => createHash('sha256').update(bytes).digest('hex')).sort();
const corpusDigests = digests(corpus.map((message) => message.bytes));

/** A file as the browser's file input gives it. */
const file = (name: string, bytes: Uint8Array) => new File([bytes as BlobPart], name);

/** A sink that keeps what it was given (the browser's sinks are tested in Chromium, e2e/lab/export.spec.ts). */
function memorySink(): FileSink & { bytes(): Uint8Array } {
  let kept = new Uint8Array();
  return {
    kind: 'file',
    async write(stream) {
      kept = new Uint8Array(await new Response(stream).arrayBuffer());
    },
    bytes: () => kept,
  };
}

async function exported(store: MailStore, account: string, format: ExportFormat): Promise<Uint8Array> {
  const sink = memorySink();
  const progress: number[] = [];
  const done = await runExport({
    items: storedItems(store, account),
    format,
    sink,
    encoders: exportEncoders,
    onProgress: ({ messages }) => progress.push(messages),
  });
  expect(done.messages).toBe(progress.length);
  return sink.bytes();
}

describe('export → import round trip on the corpus', () => {
  it('mbox and zip hold every imported message byte-exact, and an imported mbox exports the same', async () => {
    const store = await MailStore.open({ factory: new IDBFactory() });
    const imported = await importFiles(
      corpus.map(({ name, bytes }) => file(name, bytes)),
      { importRaw: (bytes) => store.importRaw('first', bytes) },
      decodeMboxFile,
    );
    expect(imported).toEqual({ files: corpus.length, messages: corpus.length, failed: [] });

    const mbox = await exported(store, 'first', 'mbox');
    expect(digests(splitMbox(mbox).map((message) => message.bytes))).toEqual(corpusDigests);
    const zip = await exported(store, 'first', 'zip');
    expect(digests(Object.values(unzipSync(zip)))).toEqual(corpusDigests);

    const intoSecond = {
      importRaw: (bytes: Uint8Array, fromLine?: string) =>
        store.importRaw('second', bytes, 'inbox', fromLine),
    };
    const again = await importFiles([file('first.mbox', mbox)], intoSecond, decodeMboxFile);
    expect(again.messages).toBe(corpus.length);
    const second = await exported(store, 'second', 'mbox');
    expect(digests(splitMbox(second).map((message) => message.bytes))).toEqual(corpusDigests);
    // The same file: each message's From line kept, the file's order kept.
    expect(Buffer.from(second).equals(Buffer.from(mbox))).toBe(true);
    // Importing the same messages again keeps one copy of each.
    await importFiles([file('first.mbox', mbox)], intoSecond, decodeMboxFile);
    expect((await store.usage('second')).messages).toBe(corpus.length);
  });
});

describe('importFiles', () => {
  it('tells mbox from .eml by the name, else by a leading "From " line', async () => {
    expect(await fileKind(file('a.eml', new TextEncoder().encode('From x Thu Jan  1 00:00:00 1970\n')))).toBe(
      'eml',
    );
    expect(await fileKind(file('a.MBOX', new Uint8Array()))).toBe('mbox');
    expect(await fileKind(file('Inbox', new TextEncoder().encode('From x Thu Jan  1 00:00:00 1970\n')))).toBe(
      'mbox',
    );
    expect(await fileKind(file('message', new TextEncoder().encode('Subject: x\r\n\r\n')))).toBe('eml');
  });

  it('reports a file that is not an mbox and goes on with the others', async () => {
    const stored: Uint8Array[] = [];
    const result = await importFiles(
      [
        file('broken.mbox', new TextEncoder().encode('Subject: not an mbox\r\n')),
        file('ok.eml', corpus[0]!.bytes),
      ],
      { importRaw: async (bytes) => void stored.push(bytes) },
      decodeMboxFile,
    );
    expect(result.messages).toBe(1);
    expect(result.failed.map((failure) => failure.file)).toEqual(['broken.mbox']);
    expect(digests(stored)).toEqual(digests([corpus[0]!.bytes]));
  });

  it('stores each message of an mbox before the rest of the file is read', async () => {
    const mbox = joinMbox(corpus.map(({ bytes }) => ({ envelope: { date: new Date(0) }, bytes })));
    let read = 0;
    const chunkBytes = 4096;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (read >= mbox.length) return controller.close();
          controller.enqueue(mbox.subarray(read, read + chunkBytes));
          read += chunkBytes;
        },
      },
      { highWaterMark: 0 },
    );
    const readWhenStored: number[] = [];
    for await (const _message of decodeMboxFile(stream)) readWhenStored.push(read);
    expect(readWhenStored).toHaveLength(corpus.length);
    expect(readWhenStored[0]).toBeLessThan(mbox.length / 2);
  });
});
