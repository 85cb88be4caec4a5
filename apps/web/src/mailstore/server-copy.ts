import type { ServerCopyPolicy, StoredMessage } from './types.js';

const DAY_MS = 86_400_000;

/** A message in the current session's listing. */
export interface ListedOnServer {
  readonly number: number;
  readonly size: number;
}

export interface RemovalInput {
  readonly policy: ServerCopyPolicy;
  /** The account's records (after the session's `recordListing`). */
  readonly records: readonly StoredMessage[];
  /** This session's listing by UIDL. */
  readonly listed: ReadonlyMap<string, ListedOnServer>;
  /** Persistent storage is granted, or the user acknowledged in words that the browser may evict it. */
  readonly durableEnough: boolean;
  readonly now: number;
}

export interface RemovalDecision {
  /** Message numbers to mark with DELE in this session (committed by its QUIT). */
  readonly remove: ReadonlyArray<{ readonly number: number; readonly uid: string }>;
  /** Messages the policy would remove but may not, because storage is neither persistent nor acknowledged. */
  readonly heldForPersistence: number;
}

/**
 * The local copy is durably committed and is the message the server lists now: `putRaw` proved it
 * (transaction complete, read back equal) and its byte count equals this session's LIST size.
 */
export function provenCopy(record: StoredMessage, listed: ListedOnServer | undefined): boolean {
  return (
    listed !== undefined &&
    record.place !== 'erased' &&
    record.downloadedAt !== undefined &&
    record.storedBytes === listed.size
  );
}

/** Whether the policy wants this server copy gone, judged on the record alone. */
function wanted(policy: ServerCopyPolicy, record: StoredMessage, now: number): boolean {
  switch (policy.kind) {
    case 'keep':
      return false;
    case 'onceSaved':
      return true;
    case 'afterDays':
      return now - record.firstSeen >= policy.days * DAY_MS;
    case 'whenDeletedHere':
      return record.place === 'trash' || record.place === 'erased';
  }
}

/**
 * What the server-copy policy removes in this session. The one rule: a DELE only for a message whose
 * local copy is proven (`provenCopy`), and only while storage is durable enough — so under "Remove
 * from the server when I delete it here" a message deleted here (in Trash) loses its server copy at
 * once only when its copy here is proven, else when Trash is emptied. The single exception is that
 * policy's message emptied from Trash (`erased`): it is removed because the user deleted it, not
 * because a copy is kept — the rule guards against removals the app makes on its own.
 */
export function serverRemovals(input: RemovalInput): RemovalDecision {
  const { policy, records, listed, durableEnough, now } = input;
  const remove: Array<{ number: number; uid: string }> = [];
  let heldForPersistence = 0;
  for (const record of records) {
    const entry = listed.get(record.uid);
    if (!entry || !wanted(policy, record, now)) continue;
    if (record.place === 'erased' && policy.kind === 'whenDeletedHere') {
      remove.push({ number: entry.number, uid: record.uid });
      continue;
    }
    if (!provenCopy(record, entry)) continue;
    if (!durableEnough) heldForPersistence++;
    else remove.push({ number: entry.number, uid: record.uid });
  }
  remove.sort((a, b) => a.number - b.number);
  return { remove, heldForPersistence };
}
