import type { MessageRow } from '../store/rows.js';
import type { Conversations } from './threads.js';

/** A row of the list as grouped: a message alone, a conversation's first row, or a message inside an open one. */
export type ListEntry<T = MessageRow> =
  | {
      readonly kind: 'conversation';
      readonly id: string;
      /** Its messages as shown, in the list's order (the first is this row's message). */
      readonly members: readonly T[];
      readonly expanded: boolean;
    }
  | { readonly kind: 'member'; readonly id: string };

export interface GroupedList<T = MessageRow, K = number> {
  /** The rows in the order shown: a conversation's first, then (open) the rest of it. */
  readonly rows: readonly T[];
  /** By message number, the rows that belong to a conversation of more than one (others: alone). */
  readonly entries: ReadonlyMap<K, ListEntry<T>>;
}

/**
 * The list as shown (filtered, sorted) grouped into conversations: each conversation takes the
 * place of its first message in that order (newest first by default) and shows as that one row; open,
 * its other messages follow it in the same order.
 */
export function groupList(
  shown: readonly MessageRow[],
  conversations: Conversations,
  expanded: ReadonlySet<string>,
): GroupedList {
  return groupListBy(
    shown,
    (row) => row.number,
    (row) => conversations.of.get(row.number),
    expanded,
  );
}

/**
 * `groupList` over any rows: `keyOf` names a row in the entries, `conversationOf` gives its
 * conversation's id (All inboxes: rows of several accounts, keyed by account and number).
 */
export function groupListBy<T, K>(
  shown: readonly T[],
  keyOf: (row: T) => K,
  conversationOf: (row: T) => string | undefined,
  expanded: ReadonlySet<string>,
): GroupedList<T, K> {
  const byConversation = new Map<string, T[]>();
  for (const row of shown) {
    const id = conversationOf(row);
    if (id === undefined) continue;
    const members = byConversation.get(id);
    if (members) members.push(row);
    else byConversation.set(id, [row]);
  }
  const rows: T[] = [];
  const entries = new Map<K, ListEntry<T>>();
  for (const row of shown) {
    const id = conversationOf(row);
    const members = id === undefined ? undefined : byConversation.get(id);
    if (id === undefined || !members || members.length < 2) {
      rows.push(row);
      continue;
    }
    if (members[0] !== row) continue; // placed with its first
    const open = expanded.has(id);
    rows.push(row);
    entries.set(keyOf(row), { kind: 'conversation', id, members, expanded: open });
    if (!open) continue;
    for (const member of members.slice(1)) {
      rows.push(member);
      entries.set(keyOf(member), { kind: 'member', id });
    }
  }
  return { rows, entries };
}

/**
 * The newest date among a conversation's members (`undefined` when none has one). A loop, not
 * `Math.max(...dates)`: a spread passes each member as an argument, and V8 throws a RangeError past
 * about 120,000 of them (a conversation of every message of a 200,000-message mailbox of one subject).
 */
export function newestDate<T>(
  members: readonly T[],
  dateOf: (member: T) => number | undefined,
): number | undefined {
  let newest: number | undefined;
  for (const member of members) {
    const date = dateOf(member);
    if (date !== undefined && (newest === undefined || date > newest)) newest = date;
  }
  return newest;
}
