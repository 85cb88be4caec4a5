import type { MessageEntry } from '@webpop/pop3';
import type { MailAddress } from '@webpop/pop3/mail';
import { storedHeaders, type HeaderSummary, type Place } from '../mailstore/index.js';
import type { ListHeaders } from '../mime/headers.js';

/** One message of the index: what LIST/UIDL said, what TOP's headers said, and local marks. */
export interface MessageRow {
  readonly number: number;
  readonly uid: string | undefined;
  readonly size: number;
  readonly from: MailAddress | undefined;
  readonly subject: string;
  readonly date: number | undefined;
  /** `pending` until its headers arrive (TOP) or come from the cache; `failed` when TOP was refused. */
  readonly status: 'pending' | 'loaded' | 'failed';
  readonly read: boolean;
  /** Starred here (a local mark, kept in the mail store by UIDL). */
  readonly starred: boolean;
  /** Marked with DELE in this session (greyed; undone by RSET). */
  readonly deleted: boolean;
  /** New since the previous session (after Refresh or Reconnect). */
  readonly isNew: boolean;
  /** Lower-cased sender and subject, for the filter. */
  readonly search: string;
  /** Its raw bytes are in the local mail store (durably committed and verified). */
  readonly saved: boolean;
  /**
   * The server listed it in this session. A row that is not (a negative number, never sent to the
   * server) is a message kept only on this device.
   */
  readonly onServer: boolean;
  /** The local folder it is shown in (`erased`: emptied from Trash, shown nowhere). */
  readonly place: Place;
  /** Its header block was longer than the list reads (mimeLimits.maxListHeaderBytes): the rest was cut. */
  readonly headersCut?: ListHeaders['headersCut'];
  /** Message-ID and the ids it answers, for conversations (absent until its headers are read). */
  readonly messageId?: string;
  readonly references?: readonly string[];
  /** Its headers say it has attachments (for a message whose body is not here). */
  readonly attachment?: boolean;
  /** The first words of its text from `TOP n 10`; '' when those lines had none. */
  readonly preview?: string;
}

export interface ListingState {
  readonly phase: 'idle' | 'listing' | 'headers' | 'done';
  /** Headers received (TOP replies) of `total` needed. */
  readonly done: number;
  readonly total: number;
}

/** Where each message number sits in `rows`: set with the rows by a listing, read by every lookup. */
export type RowIndex = ReadonlyMap<number, number>;

export type Headers = ListHeaders;

export function makeRow(
  entry: MessageEntry,
  headers: Headers | undefined,
  read: boolean,
  isNew: boolean,
): MessageRow {
  return {
    number: entry.number,
    uid: entry.uid,
    size: entry.size,
    ...(headers ? headerFields(headers) : {}),
    from: headers?.from,
    subject: headers?.subject ?? '',
    date: headers?.date,
    status: headers ? 'loaded' : 'pending',
    read,
    starred: false,
    deleted: false,
    isNew,
    search: headers ? searchText(headers.from, headers.subject) : '',
    saved: false,
    onServer: true,
    place: 'inbox',
  };
}

/** A row for a message the server no longer has, kept on this device: numbered -1, -2, … */
export function localRow(
  number: number,
  uid: string,
  size: number,
  headers: Headers | undefined,
  read: boolean,
  place: Place,
  starred = false,
): MessageRow {
  return {
    ...makeRow({ number, uid, size }, headers, read, false),
    starred,
    status: 'loaded',
    saved: true,
    onServer: false,
    place,
  };
}

/** The change a row gets when its headers arrive. */
export function loadedHeaders(headers: Headers): Partial<MessageRow> {
  const { from, subject, date, headersCut } = headers;
  return {
    from,
    subject,
    date,
    headersCut,
    messageId: headers.messageId,
    references: headers.references,
    attachment: headers.attachment,
    preview: headers.preview,
    status: 'loaded',
    search: searchText(from, subject),
  };
}

/** The fields beyond sender, subject and date that a row keeps of its headers (when present). */
function headerFields(headers: Headers): Partial<MessageRow> {
  const { headersCut, messageId, references, attachment, preview } = headers;
  return {
    ...(headersCut ? { headersCut } : {}),
    ...(messageId !== undefined ? { messageId } : {}),
    ...(references !== undefined ? { references } : {}),
    ...(attachment ? { attachment } : {}),
    ...(preview !== undefined ? { preview } : {}),
  };
}

/** What the store keeps of a row's headers (for a message saved on this device after it was listed). */
export function rowHeaders(row: MessageRow): HeaderSummary | undefined {
  if (row.status !== 'loaded') return undefined;
  return storedHeaders({
    from: row.from,
    subject: row.subject,
    date: row.date,
    messageId: row.messageId,
    references: row.references,
    attachment: row.attachment,
    preview: row.preview,
  });
}

function searchText(from: MailAddress | undefined, subject: string): string {
  return `${from?.name ?? ''} ${from?.address ?? ''} ${subject}`.toLowerCase();
}

export function indexRows(rows: readonly MessageRow[]): RowIndex {
  return new Map(rows.map((row, index) => [row.number, index]));
}

/** The rows with `changes` applied by message number (numbers not in the index are ignored). */
export function changeRows(
  rows: readonly MessageRow[],
  index: RowIndex,
  changes: ReadonlyMap<number, Partial<MessageRow>>,
): MessageRow[] {
  const next = rows.slice();
  for (const [number, change] of changes) {
    const at = index.get(number);
    const row = at === undefined ? undefined : next[at];
    if (at !== undefined && row) next[at] = { ...row, ...change };
  }
  return next;
}

export function uidsOf(rows: readonly MessageRow[]): Set<string> {
  return new Set(rows.flatMap((row) => (row.uid === undefined ? [] : [row.uid])));
}
