import { envelopeSender } from '@webpop/mailfile';
import { byArrival, type Folder, type MailStore, type StoredMessage } from '../mailstore/index.js';
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
  if (!only) {
    for await (const { message, bytes } of store.rawMessages(account, folder)) yield item(message, bytes);
    return;
  }
  for (const message of (await store.messages(account, folder)).sort(byArrival)) {
    if (!only.has(message.uid) || message.place === 'erased' || message.storedBytes === 0) continue;
    const bytes = await store.raw(account, message.uid);
    if (bytes) yield item(message, bytes);
  }
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
