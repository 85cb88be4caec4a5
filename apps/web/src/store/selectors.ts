import { withConversations } from '../conversations/grouping.js';
import type { AppState } from './app-state.js';
import type { MessageRow } from './rows.js';
import type { AccountInfo } from './session-slice.js';
import type { SortKey } from './settings.js';

/**
 * Everything components and actions derive from the state, in one place. Lookups by message number
 * go through the index the listing keeps beside the rows; what must scan the rows (counts, the sorted
 * list) is computed once per rows array and remembered, not on every store change.
 */

/** The account of the session on screen: set while open, reopening or broken. */
export function selectAccount(state: AppState): AccountInfo | null {
  return 'account' in state.session ? state.session.account : null;
}

export function selectRow(state: AppState, number: number | null): MessageRow | undefined {
  if (number === null) return undefined;
  const at = state.rowIndex.get(number);
  return at === undefined ? undefined : state.rows[at];
}

export function selectSelectedRow(state: AppState): MessageRow | undefined {
  return selectRow(state, state.selected);
}

/**
 * The selected messages (what bulk actions act on), in message-number order; a closed conversation's
 * row stands for the whole conversation.
 */
export function selectSelectedRows(state: AppState): MessageRow[] {
  const rows: MessageRow[] = [];
  for (const number of withConversations(state, [...state.selection]).sort((a, b) => a - b)) {
    const row = selectRow(state, number);
    if (row) rows.push(row);
  }
  return rows;
}

export interface RowCounts {
  readonly total: number;
  /** Marked with DELE in this session. */
  readonly deleted: number;
  /** In Trash (what "Empty trash" would empty). */
  readonly trash: number;
}

const countsByRows = new WeakMap<readonly MessageRow[], RowCounts>();

export function selectCounts(state: AppState): RowCounts {
  let counts = countsByRows.get(state.rows);
  if (!counts) {
    let deleted = 0;
    let trash = 0;
    for (const row of state.rows) {
      if (row.deleted) deleted++;
      if (row.place === 'trash') trash++;
    }
    counts = { total: state.rows.length, deleted, trash };
    countsByRows.set(state.rows, counts);
  }
  return counts;
}

/** Rows marked for deletion: whose marks a failed QUIT or a drop leaves on the server. */
export function selectDeletedRows(state: AppState): MessageRow[] {
  return selectCounts(state).deleted === 0 ? [] : state.rows.filter((row) => row.deleted);
}

const positionsByList = new WeakMap<readonly MessageRow[], ReadonlyMap<number, number>>();

/** Where a message is in a list as shown (-1 when it is not), from an index built once per list. */
export function positionIn(list: readonly MessageRow[], number: number | null): number {
  if (number === null) return -1;
  let positions = positionsByList.get(list);
  if (!positions) {
    positions = new Map(list.map((row, index) => [row.number, index]));
    positionsByList.set(list, positions);
  }
  return positions.get(number) ?? -1;
}

const replyPrefix = /^(?:(?:re|fwd?|aw|wg)\s*:\s*)+/i;

/** Sorts and filters the index for the list (newest first by default). */
export function visibleRows(
  rows: readonly MessageRow[],
  filter: string,
  sort: SortKey,
  descending: boolean,
  collator: Intl.Collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }),
): MessageRow[] {
  const needle = filter.trim().toLowerCase();
  const list = needle ? rows.filter((row) => row.search.includes(needle)) : rows.slice();
  const direction = descending ? -1 : 1;
  const byNumber = (a: MessageRow, b: MessageRow) => (a.number - b.number) * direction;
  let compare: (a: MessageRow, b: MessageRow) => number;
  switch (sort) {
    case 'date':
      // Messages whose headers have not arrived yet sort as the oldest (they fill in newest first).
      compare = (a, b) =>
        ((a.date ?? -Infinity) === (b.date ?? -Infinity)
          ? 0
          : (a.date ?? -Infinity) < (b.date ?? -Infinity)
            ? -1
            : 1) * direction || byNumber(a, b);
      break;
    case 'size':
      compare = (a, b) => (a.size - b.size) * direction || byNumber(a, b);
      break;
    case 'sender':
      compare = (a, b) =>
        collator.compare(a.from?.name || a.from?.address || '', b.from?.name || b.from?.address || '') *
          direction || byNumber(a, b);
      break;
    case 'subject':
      compare = (a, b) =>
        collator.compare(a.subject.replace(replyPrefix, ''), b.subject.replace(replyPrefix, '')) *
          direction || byNumber(a, b);
      break;
  }
  return list.sort(compare);
}

/** The command line under the protocol log: shown while a session is open. */
export function selectConsole(state: AppState) {
  const { line, busy, feedback } = state.console;
  return { line, busy, feedback, open: state.session.kind === 'open' };
}
