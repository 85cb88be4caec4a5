import { translate, type Language } from '../i18n/index.js';
import type { AppState } from '../store/app-state.js';

const unreadByRows = new WeakMap<AppState['rows'], number>();

/** Unread messages in the Inbox (on the server or kept here): the count in the title and on the icon. */
export function selectUnreadInbox(state: AppState): number {
  let count = unreadByRows.get(state.rows);
  if (count === undefined) {
    count = 0;
    for (const row of state.rows) if (row.place === 'inbox' && !row.read && !row.deleted) count++;
    unreadByRows.set(state.rows, count);
  }
  return count;
}

/** Every account's unread Inbox messages, summed; a locked account's are not shown (its mailbox is gone). */
export function unreadOfAccounts(states: readonly AppState[]): number {
  let sum = 0;
  for (const state of states) if (state.session.kind !== 'locked') sum += selectUnreadInbox(state);
  return sum;
}

/**
 * "(3) Inbox — webpop"; with several accounts signed in, the sum of their inboxes, "(5) All inboxes —
 * webpop"; without unread mail the name alone.
 */
export function titleWithUnread(name: string, unread: number, language: Language, several = false): string {
  if (unread === 0) return name;
  return translate(language, several ? 'newMail.titleAll' : 'newMail.title', { count: unread, app: name });
}

/** The badge's text: the count, "99+" beyond. */
export function badgeText(unread: number): string {
  return unread > 99 ? '99+' : String(unread);
}
