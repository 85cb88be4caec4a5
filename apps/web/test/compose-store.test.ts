import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { MailStore, SCHEMA_VERSION, type StoredDraft } from '../src/mailstore/index.js';

const account = 'server:demo|demo';

const draft = (id: string, text: string): Omit<StoredDraft, 'updatedAt'> => ({
  account,
  id,
  to: 'Ana <ana@example.org>',
  cc: '',
  bcc: '',
  subject: 'Hello',
  text,
  attachments: [{ name: 'a.bin', type: 'application/octet-stream', bytes: Uint8Array.of(0, 255, 13, 10) }],
  keepCopyOnServer: false,
  inReplyTo: undefined,
  references: [],
});

/** A database as schema version 2 left it: accounts, messages (index byPlace) and raw, with a message. */
function writeVersion2(factory: IDBFactory): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.open('webpop', 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('accounts', { keyPath: 'key' });
      db.createObjectStore('messages', { keyPath: ['account', 'uid'] }).createIndex('byPlace', [
        'account',
        'place',
      ]);
      db.createObjectStore('raw');
    };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(['messages', 'raw'], 'readwrite');
      tx.objectStore('messages').put({
        account,
        uid: 'u1',
        headers: { from: undefined, subject: 'Kept', date: 5 },
        size: 3,
        read: true,
        starred: true,
        place: 'archive',
        firstSeen: 1,
        downloadedAt: 2,
        storedBytes: 3,
        onServer: false,
        imported: false,
      });
      tx.objectStore('raw').put({ bytes: Uint8Array.of(1, 2, 3) }, [account, 'u1']);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

describe('mail store: drafts and Sent (schema version 3)', () => {
  it('opens a database written by version 2, keeps its messages and adds drafts', async () => {
    const factory = new IDBFactory();
    await writeVersion2(factory);
    const store = await MailStore.open({ factory, now: () => 42 });
    expect(SCHEMA_VERSION).toBe(3);
    expect(await store.messages(account, 'archive')).toMatchObject([
      { uid: 'u1', starred: true, storedBytes: 3, headers: { subject: 'Kept' } },
    ]);
    expect(await store.raw(account, 'u1')).toEqual(Uint8Array.of(1, 2, 3));
    await store.compose.putDraft(draft('d1', 'typed'));
    expect(await store.compose.drafts(account)).toMatchObject([{ id: 'd1', text: 'typed', updatedAt: 42 }]);
  });

  it('keeps the latest version of a draft, attachments byte for byte, newest first', async () => {
    let now = 10;
    const store = await MailStore.open({ factory: new IDBFactory(), now: () => now });
    await store.compose.putDraft(draft('d1', 'first'));
    now = 20;
    await store.compose.putDraft(draft('d2', 'other'));
    now = 30;
    await store.compose.putDraft(draft('d1', 'first, more'));
    const drafts = await store.compose.drafts(account);
    expect(drafts.map((d) => [d.id, d.text, d.updatedAt])).toEqual([
      ['d1', 'first, more', 30],
      ['d2', 'other', 20],
    ]);
    expect(drafts[0]!.attachments[0]!.bytes).toEqual(Uint8Array.of(0, 255, 13, 10));
    expect(await store.compose.drafts('other|account')).toEqual([]);
    await store.compose.deleteDraft(account, 'd2');
    expect((await store.compose.drafts(account)).map((d) => d.id)).toEqual(['d1']);
  });

  it('puts a sent message in Sent with its bytes and removes its draft in the same transaction', async () => {
    const store = await MailStore.open({ factory: new IDBFactory(), now: () => 7 });
    await store.compose.putDraft(draft('d1', 'to send'));
    const bytes = new TextEncoder().encode('Subject: Hello\r\n\r\nto send\r\n');
    const headers = { from: { name: '', address: 'me@example.org' }, subject: 'Hello', date: 7 };
    const record = await store.compose.putSent(account, '<id1@example.org>', bytes, headers, 'd1');
    expect(record).toMatchObject({ uid: 'sent-id1@example.org', place: 'sent', onServer: false, read: true });
    expect(await store.messages(account, 'sent')).toEqual([record]);
    expect(await store.raw(account, record.uid)).toEqual(bytes);
    expect(await store.compose.drafts(account)).toEqual([]);
    // A listing never removes it (kept only here, bytes stored) and it is exported with the rest.
    await store.recordListing(account, []);
    expect(await store.message(account, record.uid)).toEqual(record);
  });
});
