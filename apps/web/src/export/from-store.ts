import { envelopeSender } from '@webpop/mailfile';
import type { Folder, MailStore, StoredMessage } from '../mailstore/index.js';
import type { ExportItem } from './types.js';

/**
 * The messages of an account (one folder of it, or only the UIDLs in `only`: the selection) saved on
 * this device, read one at a time for an export.
 */
export async function* storedItems(
  store: MailStore,
  account: string,
  folder?: Folder,
  only?: ReadonlySet<string>,
): AsyncGenerator<ExportItem> {
  for await (const { message, bytes } of store.rawMessages(account, folder, only)) yield item(message, bytes);
}

function item(message: StoredMessage, bytes: Uint8Array): ExportItem {
  return {
    bytes,
    subject: message.headers?.subject ?? '',
    date: message.headers?.date,
    sender: envelopeSender(bytes),
    savedAt: message.downloadedAt ?? message.firstSeen,
    fromLine: message.mboxFrom,
  };
}
