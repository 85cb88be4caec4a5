// Where an export goes without the File System Access API: a Blob gathered in parts, then a download.
import { describe, expect, it } from 'vitest';
import { chooseFileSink, streamToBlob } from '../src/export/save-stream.js';

function chunks(count: number, size: number, pulls: { count: number }): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls.count++;
      if (sent === count) return controller.close();
      controller.enqueue(new Uint8Array(size).fill(sent % 251));
      sent++;
    },
  });
}

describe('streamToBlob', () => {
  it('keeps every byte in order, joined into parts of the given size', async () => {
    const pulls = { count: 0 };
    const blob = await streamToBlob(chunks(10, 1000, pulls), 'application/mbox', 3000);
    expect(blob.size).toBe(10_000);
    expect(blob.type).toBe('application/mbox');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    for (let i = 0; i < 10; i++) expect(bytes[i * 1000]).toBe(i % 251);
  });

  it('stops reading when aborted, and rejects with the reason', async () => {
    const pulls = { count: 0 };
    const controller = new AbortController();
    const stream = chunks(1_000_000, 10, pulls);
    const gathering = streamToBlob(stream, 'application/zip', 100, controller.signal);
    const reason = new Error('the user cancelled');
    controller.abort(reason);
    await expect(gathering).rejects.toBe(reason);
    const pulled = pulls.count;
    await new Promise((resolve) => setImmediate(resolve));
    expect(pulls.count).toBe(pulled);
    expect(pulled).toBeLessThan(10);
  });
});

describe('chooseFileSink', () => {
  const type = { description: 'mbox', mime: 'application/mbox', extension: '.mbox' };

  it('downloads at the end where there is no save dialog', async () => {
    const sink = await chooseFileSink({ suggestedName: 'Inbox.mbox', type, scope: {} });
    expect(sink?.kind).toBe('download');
  });

  it('is null when the user closes the save dialog', async () => {
    const scope = {
      showSaveFilePicker: () => Promise.reject(new DOMException('closed', 'AbortError')),
    };
    expect(await chooseFileSink({ suggestedName: 'Inbox.mbox', type, scope })).toBeNull();
  });

  it('falls back to a download when the dialog is refused (no user activation left)', async () => {
    const scope = {
      showSaveFilePicker: () => Promise.reject(new DOMException('no activation', 'SecurityError')),
    };
    expect((await chooseFileSink({ suggestedName: 'Inbox.mbox', type, scope }))?.kind).toBe('download');
  });
});
