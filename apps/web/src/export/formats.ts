import { encodeMbox, mboxMessages } from '@webpop/mailfile';
import type { MboxDecoder } from './import-files.js';
import type { ExportEncoders } from './run-export.js';
import { iterableStream, streamChunks } from './streams.js';
import type { ExportItem } from './types.js';
import { emlZip } from './zip.js';

/**
 * An mboxrd stream (@webpop/mailfile, the same writer as `webpop fetch --mbox`): each message's bytes
 * exactly as stored (as the server sent them: CRLF), quoted, after a `From <Return-Path> <saved at>`
 * line — or the `From ` line it was imported with, so an mbox imported and exported is the same file.
 */
export function mboxStream(items: AsyncIterable<ExportItem>): ReadableStream<Uint8Array> {
  async function* inputs() {
    for await (const item of items) {
      const envelope = { sender: item.sender, date: new Date(item.savedAt), line: item.fromLine };
      yield { envelope, content: item.bytes };
    }
  }
  return iterableStream(encodeMbox(inputs()));
}

/** Each message of an mbox file exactly as it was before quoting, with its `From ` line. */
export const decodeMboxFile: MboxDecoder = async function* (stream) {
  for await (const message of mboxMessages(streamChunks(stream)))
    yield { bytes: message.bytes, fromLine: message.from.line };
};

export const exportEncoders: ExportEncoders = { mbox: mboxStream, zip: emlZip };

/** What the save dialog offers for each format. */
export const exportFileTypes = {
  mbox: { description: 'mbox', mime: 'application/mbox', extension: '.mbox' },
  zip: { description: 'Zip of .eml files', mime: 'application/zip', extension: '.zip' },
} as const;
