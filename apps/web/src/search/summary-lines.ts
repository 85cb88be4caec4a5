import type { MessageSummary } from './account-index.js';

/**
 * Changed list lines as the worker sends them to the page: parallel arrays (the UIDLs, their
 * snippets, their attachment marks as bytes) instead of an array and an object per line, so the
 * page's structured-clone read makes two strings a line and one byte array an answer. Each line is
 * made into its MessageSummary only where the page keeps it (search-slice.ts).
 */
export interface SummaryLines {
  readonly uids: readonly string[];
  /** The line's snippet now; null where it has no line any more (removed, or nothing to show). */
  readonly snippets: ReadonlyArray<string | null>;
  /** 1 where the message has an attachment, else 0. */
  readonly marks: Uint8Array;
}

/** Packs [UIDL, its line or null] pairs (oldest change first) for the page. */
export function packLines(entries: ReadonlyArray<readonly [string, MessageSummary | null]>): SummaryLines {
  const marks = new Uint8Array(entries.length);
  entries.forEach(([, summary], at) => {
    if (summary?.hasAttachment) marks[at] = 1;
  });
  return {
    uids: entries.map(([uid]) => uid),
    snippets: entries.map(([, summary]) => summary?.snippet ?? null),
    marks,
  };
}

/** The pairs again, in order (tests, and whatever reads an answer as a whole). */
export function linesOf(lines: SummaryLines): Array<[string, MessageSummary | null]> {
  return lines.uids.map((uid, at) => {
    const snippet = lines.snippets[at];
    return [uid, snippet == null ? null : { snippet, hasAttachment: lines.marks[at] === 1 }];
  });
}
