import type { NewMailSettings } from '../newmail/settings.js';
import type { MailAddress } from '@webpop/pop3/mail';
import type { ServerChoice } from '../session/types.js';
import { KindError } from '../lib/kind-error.js';

/** The local folders a message can be in; `sent` holds what was sent from this device. */
export type Folder = 'inbox' | 'archive' | 'trash' | 'sent';

/**
 * Where a record is: a folder, or `erased` — emptied from Trash. An erased record keeps neither bytes
 * nor headers, only the UIDL, so the next listing does not bring the message back; it goes when the
 * server no longer lists that UIDL.
 */
export type Place = Folder | 'erased';

/** What the list shows of a message (from TOP, RETR or an import). */
export interface HeaderSummary {
  readonly from: MailAddress | undefined;
  readonly subject: string;
  readonly date: number | undefined;
  /**
   * For conversations: the Message-ID without angle brackets, and the ids it answers (References,
   * then In-Reply-To when it is not among them; bounded). Optional, so records written before they
   * existed stay valid (no schema change); a record without `references` is read again by the next
   * listing's TOP.
   */
  readonly messageId?: string;
  readonly references?: readonly string[];
  /** Its headers say it carries attachments (multipart/mixed, Content-Disposition: attachment …). */
  readonly attachment?: boolean;
  /**
   * The first words of its text from `TOP n 10` (Account settings: "Snippets for messages
   * not saved here"); '' when those lines held none that could be read; absent when never fetched.
   */
  readonly preview?: string;
}

/** The fields of a header summary the store keeps (anything else a caller's object carries is left out). */
export function storedHeaders(headers: HeaderSummary): HeaderSummary {
  const { from, subject, date, messageId, references, attachment, preview } = headers;
  return {
    from,
    subject,
    date,
    ...(messageId !== undefined ? { messageId } : {}),
    ...(references !== undefined ? { references } : {}),
    ...(attachment ? { attachment } : {}),
    ...(preview !== undefined ? { preview } : {}),
  };
}

/** What happens to the server's copy (the names as Thunderbird and FairEmail use them). */
export type ServerCopyPolicy =
  | { readonly kind: 'keep' }
  | { readonly kind: 'afterDays'; readonly days: number }
  | { readonly kind: 'whenDeletedHere' }
  | { readonly kind: 'onceSaved' };

/** Which messages are downloaded in full after the list. */
export type KeepOnDevice =
  | { readonly kind: 'headers' }
  | { readonly kind: 'upTo'; readonly kb: number }
  | { readonly kind: 'everything' };

export interface AccountSettings {
  readonly serverCopy: ServerCopyPolicy;
  readonly keepOnDevice: KeepOnDevice;
  /**
   * The user said, in words, that the browser may evict what is saved here (persistent storage not
   * granted) and wants server copies removed anyway. Without it, or a granted persist(), no DELE.
   */
  readonly evictionAcknowledged: boolean;
  /** Who the account writes as (compose); absent until the user sets it in Account settings. */
  readonly identity?: {
    readonly name: string;
    readonly address: string;
    /** Where replies should go instead of `address` (a Reply-To header); empty: none. */
    readonly replyTo: string;
    readonly signature: string;
  };
  /** "Check for new mail", "Minutes", "Notify me of new mail"; absent: the defaults (newmail/settings.ts). */
  readonly newMail?: NewMailSettings;
  /** How the account is named and coloured in this app; absent: "user on server" and the next free colour. */
  readonly appearance?: AccountAppearance;
  /**
   * "Snippets for messages not saved here": the listing asks `TOP n 10` instead of
   * `TOP n 0`, for a snippet line and a better attachment mark. Absent: off.
   */
  readonly listPreview?: boolean;
}

/**
 * "Display name" and "Colour" of Account settings: shown in the Accounts navigation, All inboxes and
 * the sign-in page's remembered accounts. Optional fields of the settings record (no schema change).
 */
export interface AccountAppearance {
  /** Empty: the account is called "user on server". */
  readonly displayName: string;
  /** A CSS colour (`#rrggbb`), or null: the first colour no other signed-in account uses. */
  readonly colour: string | null;
}

/** What an account keeps on this device: what "Forget" would delete, said in words before it does. */
export interface AccountHoldings {
  /** Messages whose bytes are saved here (Inbox, Archive, Trash, Sent, imported). */
  readonly messages: number;
  readonly bytes: number;
  /** Of those, the ones the server no longer has (or never had: Sent, imported): only here. */
  readonly onlyHere: number;
  readonly drafts: number;
}

/** One account (server + username) as remembered on this device. */
export interface StoredAccount {
  /** `accountKey(server, username)`: the key of everything stored for the account. */
  readonly key: string;
  readonly server: ServerChoice;
  readonly username: string;
  readonly settings: AccountSettings;
  /** When the account last signed in (ms since the epoch). */
  readonly lastSignIn: number;
}

/** The local state of a message: what POP3 has no notion of. */
export interface LocalState {
  readonly read: boolean;
  readonly starred: boolean;
  readonly place: Place;
}

/** A message as stored, without its bytes (those are in their own object store). */
export interface StoredMessage extends LocalState {
  readonly account: string;
  readonly uid: string;
  /** Undefined until TOP, RETR or an import gave them. */
  readonly headers: HeaderSummary | undefined;
  /** LIST's size when the server last listed it; the byte count for an import. */
  readonly size: number;
  /** When this device first saw the UIDL (ms since the epoch): "Remove … after N days" counts from it. */
  readonly firstSeen: number;
  /**
   * When the bytes were durably committed and verified: transaction complete, byte count equal to
   * LIST's size, read back equal. Undefined while only the headers are here.
   */
  readonly downloadedAt: number | undefined;
  /** Byte count of the stored raw message (0 without one). */
  readonly storedBytes: number;
  /** The server listed it in the last session; false: kept only on this device. */
  readonly onServer: boolean;
  /** Imported from a file rather than downloaded. */
  readonly imported: boolean;
  /**
   * The `From ` line an imported mbox message had (without its line break): an mbox export writes it
   * again, so a file imported and exported again is the same file. Absent for everything else.
   */
  readonly mboxFrom?: string;
}

/**
 * The order messages arrived here, for exports: first seen (an import stamps each message a
 * millisecond after the one before, keeping a file's order), then UIDL.
 */
export function byArrival(
  a: Pick<StoredMessage, 'firstSeen' | 'uid'>,
  b: Pick<StoredMessage, 'firstSeen' | 'uid'>,
): number {
  return a.firstSeen - b.firstSeen || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
}

/** What the store says when it cannot do what was asked; `kind` is for the code, message for logs. */
export type MailStoreErrorKind =
  /** The browser's quota for this origin is used up: nothing was written. */
  | 'quota'
  /** The bytes read back differ from those written, or their count differs from LIST's size. */
  | 'mismatch'
  /** IndexedDB cannot be opened here (some private windows), or another tab blocks the upgrade. */
  | 'unavailable'
  /** The message is not in the store. */
  | 'missing'
  | 'failed';

export class MailStoreError extends KindError<MailStoreErrorKind> {
  override readonly name = 'MailStoreError';
}
