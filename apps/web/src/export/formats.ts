import { encodeMbox, mboxMessages } from '@webpop/mailfile';
import type { MboxDecoder } from './import-files.js';
import type { ExportEncoders } from './run-export.js';
import { iterableStream, streamChunks } from './streams.js';
import type { ExportItem } from './types.js';
import { emlZip } from './zip.js';

/**
 * An mboxrd stream (@webpop/mailfile, the same writer as `webpop fetch --mbox`): each message's bytes
 * exactly as stored, quoted, after a `From <sender> <saved at>` line.
 */
export function mboxStream(items: AsyncIterable<ExportItem>): ReadableStream<Uint8Array> {
  async function* inputs() {
    for await (const item of items) {
      yield { envelope: { sender: item.sender, date: new Date(item.savedAt) }, content: item.bytes };
    }
  }
  return iterableStream(encodeMbox(inputs()));
}

/** Each message of an mbox file exactly as it was before quoting. */
export const decodeMboxFile: MboxDecoder = async function* (stream) {
  for await (const message of mboxMessages(streamChunks(stream))) yield message.bytes;
};

export const exportEncoders: ExportEncoders = { mbox: mboxStream, zip: emlZip };

/** What the save dialog offers for each format. */
export const exportFileTypes = {
  mbox: { description: 'mbox', mime: 'application/mbox', extension: '.mbox' },
  zip: { description: 'Zip of .eml files', mime: 'application/zip', extension: '.zip' },
} as const;
