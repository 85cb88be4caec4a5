import { translate, type Language } from '../i18n/index.js';
import { displayName } from '../lib/display-name.js';
import type { MessageRow } from '../store/rows.js';
import { newMailLimits } from './limits.js';

/** The browser's permission for desktop notifications, or none where there is no Notification API. */
export type NotifyPermission = 'default' | 'granted' | 'denied' | 'unsupported';

/** One desktop notification: what it says, and the message a click opens. */
export interface NewMailNote {
  readonly title: string;
  readonly body: string;
  /** One per account: a later check's notification replaces the earlier one. */
  readonly tag: string;
  readonly uid: string;
}

/** The page's Notification API, behind a door tests can watch. */
export interface Notifier {
  permission(): NotifyPermission;
  /** Only from a click: browsers ignore (or block) a request without a user gesture. */
  requestPermission(): Promise<NotifyPermission>;
  /** The user is looking at the tab (visible and focused): the list shows the new rows, no notification. */
  watching(): boolean;
  /** Shows it; a click focuses the tab and calls `onClick`. */
  show(note: NewMailNote, onClick: () => void): void;
}

/** Display names cut short for a notification (the system shows a few dozen characters). */
const NOTE_CHARS = 120;

/**
 * What a check's new messages say: one notification each (sender, subject) up to
 * `newMailLimits.notifyEach`, else one "5 new messages" naming the account, whose click opens the newest.
 */
export function newMailNotes(
  added: readonly MessageRow[],
  account: { readonly key: string; readonly label: string },
  language: Language,
): NewMailNote[] {
  if (added.length === 0) return [];
  const newest = [...added].sort((a, b) => (b.date ?? 0) - (a.date ?? 0) || b.number - a.number);
  const tag = `webpop-new-mail:${account.key}`;
  if (added.length > newMailLimits.notifyEach) {
    return [
      {
        title: translate(language, 'newMail.many', { count: added.length }),
        body: displayName(account.label, NOTE_CHARS),
        tag,
        uid: newest[0]!.uid ?? '',
      },
    ];
  }
  return newest.map((row) => ({
    title: displayName(row.from?.name || row.from?.address || '', NOTE_CHARS) || account.label,
    body: displayName(row.subject, NOTE_CHARS) || translate(language, 'list.noSubject'),
    tag: `${tag}:${row.uid ?? row.number}`,
    uid: row.uid ?? '',
  }));
}
