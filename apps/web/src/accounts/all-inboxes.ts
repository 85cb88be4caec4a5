import { buildConversations, type ThreadInput } from '../conversations/threads.js';
import { groupListBy, type GroupedList, type ListEntry } from '../conversations/grouped-list.js';
import { searching, searchRows } from '../search/search-slice.js';
import type { AppState } from '../store/app-state.js';
import type { MessageRow } from '../store/rows.js';
import { visibleRows } from '../store/selectors.js';
import type { SortKey } from '../store/settings.js';

/** One account's part of All inboxes: its entry, how its rows are labelled, its state. */
export interface InboxSource {
  readonly id: string;
  readonly colour: string;
  /** Its display name or "user on server", as the switcher's link says it. */
  readonly label: string;
  readonly state: Pick<AppState, 'rows' | 'search'>;
}

/** A row of All inboxes: the account's own row, and which account it is. */
export interface MergedRow {
  readonly source: InboxSource;
  readonly row: MessageRow;
}

export interface MergeOrder {
  readonly filter: string;
  readonly sort: SortKey;
  readonly descending: boolean;
  readonly collator?: Intl.Collator;
}

/**
 * Every account's Inbox as one list. Without a search: the Inbox rows of all accounts filtered and
 * sorted together by the list's own rules (`visibleRows`, so All inboxes sorts exactly as one
 * account's list does). An account searched with the text (its index answered or is answering):
 * its hits, best score first across accounts (each has its own index with the same BM25 weights: one scale, not one corpus), ahead of
 * the accounts that have no index (a shared computer's), which are filtered by the text instead.
 */
export function mergeInboxes(sources: readonly InboxSource[], order: MergeOrder): MergedRow[] {
  const searched = (source: InboxSource) => searching(source.state) && source.state.search.phase !== 'idle';
  const scored: Array<{ merged: MergedRow; score: number }> = [];
  const owner = new Map<MessageRow, InboxSource>();
  const filtered: MessageRow[] = [];
  for (const source of sources) {
    if (searched(source)) {
      const score = new Map(source.state.search.hits.map((hit) => [hit.uid, hit.score]));
      for (const row of searchRows(source.state.rows, source.state.search)) {
        if (row.place === 'inbox')
          scored.push({ merged: { source, row }, score: score.get(row.uid ?? '') ?? 0 });
      }
      continue;
    }
    for (const row of source.state.rows) {
      if (row.place !== 'inbox') continue;
      owner.set(row, source);
      filtered.push(row);
    }
  }
  const rest = visibleRows(filtered, order.filter, order.sort, order.descending, order.collator);
  return [
    ...scored.sort((a, b) => b.score - a.score).map(({ merged }) => merged),
    ...rest.map((row) => ({ source: owner.get(row)!, row })),
  ];
}

/** A row's identity in All inboxes (message numbers repeat across accounts). */
export function mergedKey(merged: MergedRow): string {
  return `${merged.source.id}:${merged.row.number}`;
}

/** The account id and message number a `mergedKey` names. */
export function parseMergedKey(key: string): { id: string; number: number } | undefined {
  const at = key.lastIndexOf(':');
  const number = Number(key.slice(at + 1));
  if (at <= 0 || !Number.isInteger(number)) return undefined;
  return { id: key.slice(0, at), number };
}

const conversationsBySources = new WeakMap<readonly InboxSource[], ReadonlyMap<string, string>>();

/**
 * Conversations across accounts: every signed-in account's Inbox threaded together (References /
 * In-Reply-To, subject fallback: `buildConversations`), so a thread that reached two of the user's
 * addresses — the same message delivered to both, or a reply to one answering the other — is one
 * conversation, as it is one conversation to the user. Merged key → conversation id, built once per
 * sources array.
 */
export function conversationsAcross(sources: readonly InboxSource[]): ReadonlyMap<string, string> {
  let known = conversationsBySources.get(sources);
  if (known) return known;
  const keys: string[] = [];
  const inputs: ThreadInput[] = [];
  for (const source of sources) {
    for (const row of source.state.rows) {
      if (row.place !== 'inbox') continue;
      inputs.push({
        key: keys.length,
        name: `${source.id}:${row.uid ?? `#${row.number}`}`,
        messageId: row.messageId,
        references: row.references,
        subject: row.subject,
        date: row.date,
      });
      keys.push(`${source.id}:${row.number}`);
    }
  }
  const { of } = buildConversations(inputs);
  const map = new Map<string, string>();
  keys.forEach((key, index) => {
    const id = of.get(index);
    if (id !== undefined) map.set(key, id);
  });
  conversationsBySources.set(sources, map);
  known = map;
  return known;
}

/** All inboxes grouped by conversation: `groupListBy` over the merged rows, keyed by `mergedKey`. */
export function groupMerged(
  rows: readonly MergedRow[],
  sources: readonly InboxSource[],
  expanded: ReadonlySet<string>,
): GroupedList<MergedRow, string> {
  const conversations = conversationsAcross(sources);
  return groupListBy(rows, mergedKey, (merged) => conversations.get(mergedKey(merged)), expanded);
}

/**
 * The messages a selection of All inboxes stands for, in the list's order of keys given: a closed
 * conversation's row stands for all its messages (in whichever account each is), an open one's rows
 * each for their own.
 */
export function selectionTargets(
  selection: Iterable<string>,
  entries: ReadonlyMap<string, ListEntry<MergedRow>>,
): string[] {
  const out = new Set<string>();
  for (const key of selection) {
    const entry = entries.get(key);
    if (entry?.kind === 'conversation' && !entry.expanded)
      for (const member of entry.members) out.add(mergedKey(member));
    else out.add(key);
  }
  return [...out];
}
