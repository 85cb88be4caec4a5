import type { IDBPDatabase } from 'idb';
import type { MessageKey, MailDb } from './schema.js';
import { MailStoreError, type HeaderSummary, type StoredMessage } from './types.js';

/** A file attached to a draft, kept with it (a closed tab loses nothing). */
export interface DraftAttachment {
  readonly name: string;
  readonly type: string;
  readonly bytes: Uint8Array;
}

/** A message being written, as typed: the address fields are the text of their inputs. */
export interface StoredDraft {
  readonly account: string;
  /** Random, made when the draft is begun. */
  readonly id: string;
  readonly updatedAt: number;
  readonly to: string;
  readonly cc: string;
  readonly bcc: string;
  readonly subject: string;
  readonly text: string;
  readonly attachments: readonly DraftAttachment[];
  /** Bcc the account's own address ("Keep a copy on the server"). */
  readonly keepCopyOnServer: boolean;
  /** A reply's threading (RFC 5322 section 3.6.4). */
  readonly inReplyTo: string | undefined;
  readonly references: readonly string[];
  /**
   * `html`: written in the formatted editor; `html` is then its sanitized HTML and `text` the plain
   * text derived from it. Absent in drafts saved before there was one: plain text.
   */
  readonly format?: 'plain' | 'html';
  readonly html?: string;
}

const accountRange = (account: string) => IDBKeyRange.bound([account, ''], [account, []]);

/**
 * Drafts and sent messages in the mail store (schema version 3). Drafts live in their own object
 * store; a sent message is a message record in the place `sent` with its bytes, kept only here.
 */
export class ComposeStore {
  constructor(
    private readonly db: IDBPDatabase<MailDb>,
    private readonly now: () => number,
  ) {}

  /** The account's drafts, the most recently changed first. */
  async drafts(account: string): Promise<StoredDraft[]> {
    const all = await this.db.getAll('drafts', accountRange(account));
    return all.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  draft(account: string, id: string): Promise<StoredDraft | undefined> {
    return this.db.get('drafts', [account, id]);
  }

  /** Writes the draft as it is now (one transaction: it is there whole, or as it was before). */
  async putDraft(draft: Omit<StoredDraft, 'updatedAt'>): Promise<StoredDraft> {
    const record: StoredDraft = { ...draft, attachments: draft.attachments.map(copy), updatedAt: this.now() };
    try {
      await this.db.put('drafts', record);
    } catch (error) {
      throw new MailStoreError(
        error instanceof DOMException && error.name === 'QuotaExceededError' ? 'quota' : 'failed',
        `saving a draft: ${String(error)}`,
        { cause: error },
      );
    }
    return record;
  }

  deleteDraft(account: string, id: string): Promise<void> {
    return this.db.delete('drafts', [account, id]);
  }

  /**
   * A message sent from this device, in Sent: its record (kept only here, never on a POP3 server) and
   * its bytes in one transaction, which also removes the draft it was written in.
   */
  async putSent(
    account: string,
    messageId: string,
    bytes: Uint8Array,
    headers: HeaderSummary,
    draftId?: string,
  ): Promise<StoredMessage> {
    const uid = `sent-${messageId.replace(/^<|>$/g, '')}`;
    const key: MessageKey = [account, uid];
    const now = this.now();
    const record: StoredMessage = {
      account,
      uid,
      headers,
      size: bytes.length,
      read: true,
      starred: false,
      place: 'sent',
      firstSeen: now,
      downloadedAt: now,
      storedBytes: bytes.length,
      onServer: false,
      imported: false,
    };
    const tx = this.db.transaction(['messages', 'raw', 'drafts'], 'readwrite', { durability: 'strict' });
    await Promise.all([
      tx.objectStore('raw').put({ bytes: bytes.slice() }, key),
      tx.objectStore('messages').put(record),
      ...(draftId === undefined ? [] : [tx.objectStore('drafts').delete([account, draftId])]),
      tx.done,
    ]);
    return record;
  }
}

function copy(attachment: DraftAttachment): DraftAttachment {
  return { name: attachment.name, type: attachment.type, bytes: attachment.bytes.slice() };
}
