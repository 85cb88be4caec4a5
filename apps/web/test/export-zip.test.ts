// The zip of .eml files, read back by an independent reader (fflate): every corpus message byte-exact.
import { corpusMessages } from '@webpop/testkit';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emlEntryName, emlZip } from '../src/export/zip.js';
import type { ExportItem } from '../src/export/types.js';

const corpus = await corpusMessages();

async function* items(list: readonly ExportItem[]): AsyncGenerator<ExportItem> {
  for (const item of list) yield item;
}

/** toEqual on megabytes of typed array takes seconds; a digest says the same. */
const digest = (bytes: Uint8Array | undefined) => bytes && createHash('sha256').update(bytes).digest('hex');

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('emlZip', () => {
  it('holds every corpus message byte-exact, in order, under numbered names', async () => {
    const list = corpus.map((message) => ({
      bytes: message.bytes,
      subject: message.name,
      date: Date.UTC(2024, 3, 11),
      sender: undefined,
      fromLine: undefined,
      savedAt: 0,
    }));
    const files = unzipSync(await collect(emlZip(items(list))));
    const names = Object.keys(files);
    expect(names).toHaveLength(corpus.length);
    names.forEach((name, index) => {
      expect(name).toBe(emlEntryName(index + 1, corpus[index]!.name));
      expect(digest(files[name])).toBe(digest(corpus[index]!.bytes));
    });
  });

  it('reads a message only when the archive needs it (one message in memory at a time)', async () => {
    let produced = 0;
    async function* counted() {
      for (let i = 0; i < 100; i++) {
        produced++;
        yield {
          bytes: new Uint8Array(64 * 1024).fill(65 + (i % 26)),
          subject: `m${i}`,
          date: undefined,
          sender: undefined,
          fromLine: undefined,
          savedAt: 0,
        };
      }
    }
    const reader = emlZip(counted()).getReader();
    await reader.read();
    expect(produced).toBeLessThanOrEqual(2);
    // client-zip hands the reason to the source generator (its finally blocks run), and rejects with it.
    await reader.cancel(new Error('enough')).catch(() => {});
    expect(produced).toBeLessThanOrEqual(2);
  });

  it('names entries safely: no path, no controls, numbered when the subject is empty', () => {
    expect(emlEntryName(1, '')).toBe('00001.eml');
    expect(emlEntryName(2, '  ')).toBe('00002.eml');
    expect(emlEntryName(3, '../../etc/passwd')).toBe('passwd.eml');
    expect(emlEntryName(42, 'Re: a\u202Efdp.exe report?')).toBe('00042 Re_ afdp.exe report_.eml');
    expect([...emlEntryName(7, 'x'.repeat(500))].length).toBeLessThan(100);
  });
});
