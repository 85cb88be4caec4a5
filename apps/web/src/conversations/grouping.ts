import { isEmptyQuery } from '../search/query.js';
import type { AppState } from '../store/app-state.js';
import type { FolderView } from '../store/mailbox-slice.js';
import type { MessageRow } from '../store/rows.js';
import { groupList, type ListEntry } from './grouped-list.js';
import { buildConversations, type Conversations } from './threads.js';

/** The account the list shows: the session's, else the one opened from this device. */
export function accountKeyOf(state: AppState): string | undefined {
  return ('account' in state.session ? state.session.account.key : undefined) ?? state.device.account?.key;
}

/** Whether the list groups by conversation: the account's choice, and not while a search ranks hits. */
export function isGrouped(state: AppState): boolean {
  const query = state.search.query;
  return groupedAccount(state) && (query === undefined || isEmptyQuery(query));
}

/** The account's choice alone (the toggle's state). */
export function groupedAccount(state: AppState): boolean {
  const key = accountKeyOf(state);
  return key !== undefined && state.settings.groupedAccounts.includes(key);
}

const byRows = new WeakMap<readonly MessageRow[], Map<FolderView, Conversations>>();

/** The conversations of a folder's messages, built once per rows array. */
export function selectConversations(rows: readonly MessageRow[], folder: FolderView): Conversations {
  let byFolder = byRows.get(rows);
  if (!byFolder) byRows.set(rows, (byFolder = new Map()));
  let conversations = byFolder.get(folder);
  if (!conversations) {
    conversations = buildConversations(
      rows
        .filter((row) => row.place === folder)
        .map((row) => ({
          key: row.number,
          name: row.uid ?? `#${row.number}`,
          messageId: row.messageId,
          references: row.references,
          subject: row.subject,
          date: row.date,
        })),
    );
    byFolder.set(folder, conversations);
  }
  return conversations;
}

/**
 * The messages a selection stands for: a closed conversation's row stands for every message of the
 * conversation in its folder (Delete, Archive, read marks and stars act on the whole conversation, as
 * in Thunderbird); an open one's rows each for their own message.
 */
export function withConversations(state: AppState, numbers: readonly number[]): number[] {
  if (!isGrouped(state) || state.folder === 'drafts') return [...numbers];
  const conversations = selectConversations(state.rows, state.folder);
  const out = new Set<number>();
  for (const number of numbers) {
    const id = conversations.of.get(number);
    const members = id === undefined ? undefined : conversations.members.get(id);
    if (id === undefined || !members || state.expanded.has(id)) out.add(number);
    else for (const member of members) out.add(member);
  }
  return [...out];
}

const entriesByList = new WeakMap<readonly MessageRow[], ReadonlyMap<number, ListEntry>>();
const noEntries: ReadonlyMap<number, ListEntry> = new Map();

/** The list grouped (`groupList`); its rows array remembers its entries for `listEntries`. */
export function groupedRows(
  shown: readonly MessageRow[],
  conversations: Conversations,
  expanded: ReadonlySet<string>,
): MessageRow[] {
  const { rows, entries } = groupList(shown, conversations, expanded);
  const list = [...rows];
  entriesByList.set(list, entries);
  return list;
}

/** Which rows of a list as shown are conversations or inside one (none when it is not grouped). */
export function listEntries(rows: readonly MessageRow[]): ReadonlyMap<number, ListEntry> {
  return entriesByList.get(rows) ?? noEntries;
}
