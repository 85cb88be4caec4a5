import type { Folder, MailStore } from '../mailstore/index.js';
import type { ExportItem } from './types.js';

/** The messages of an account (or one folder) saved on this device, read one at a time for an export. */
export async function* storedItems(
  store: MailStore,
  account: string,
  folder?: Folder,
): AsyncGenerator<ExportItem> {
  for await (const { message, bytes } of store.rawMessages(account, folder)) {
    yield {
      bytes,
      subject: message.headers?.subject ?? '',
      date: message.headers?.date,
      sender: message.headers?.from?.address,
      savedAt: message.downloadedAt ?? message.firstSeen,
    };
  }
}
