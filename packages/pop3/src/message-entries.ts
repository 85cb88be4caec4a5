import type { MessageEntry } from './client-types.js';
import type { MessageSize, MessageUid } from './protocol/listings.js';

export interface JoinedEntries {
  readonly entries: MessageEntry[];
  /** What is wrong with the server's UIDL, in words for a user. */
  readonly notes: string[];
}

/**
 * Joins LIST and UIDL into one entry per message, marking ids that cannot tell messages apart across
 * sessions (`uids` undefined: the server has no UIDL).
 */
export function joinEntries(
  sizes: readonly MessageSize[],
  uids: readonly MessageUid[] | undefined,
): JoinedEntries {
  if (!uids) {
    return {
      entries: sizes.map(({ number, size }) => ({ number, size, uid: undefined, uidProblem: 'unsupported' })),
      notes: [],
    };
  }
  const uidByNumber = new Map(uids.map((entry) => [entry.number, entry.uid]));
  const sharing = numbersByUid(uids);
  const entries = sizes.map(({ number, size }): MessageEntry => {
    const uid = uidByNumber.get(number);
    if (uid === undefined) return { number, size, uid, uidProblem: 'missing' };
    return sharing.get(uid)!.length > 1
      ? { number, size, uid, uidProblem: 'duplicate' }
      : { number, size, uid };
  });
  const notes: string[] = [];
  const missing = entries.filter((entry) => entry.uidProblem === 'missing').map((entry) => entry.number);
  if (missing.length > 0) {
    notes.push(`The server's UIDL has no entry for message${plural(missing)} ${listNumbers(missing)}.`);
  }
  for (const [uid, numbers] of sharing) {
    if (numbers.length < 2) continue;
    notes.push(
      `Messages ${listNumbers(numbers)} have the same unique id (UIDL ${JSON.stringify(uid)}): ` +
        'they cannot be told apart across sessions.',
    );
  }
  return { entries, notes };
}

function numbersByUid(uids: readonly MessageUid[]): Map<string, number[]> {
  const byUid = new Map<string, number[]>();
  for (const { number, uid } of uids) {
    const numbers = byUid.get(uid);
    if (numbers) numbers.push(number);
    else byUid.set(uid, [number]);
  }
  return byUid;
}

/** `1`, `1 and 2`, `1, 2 and 3`. */
function listNumbers(numbers: readonly number[]): string {
  return numbers.length < 2 ? numbers.join('') : `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}

function plural(items: readonly unknown[]): string {
  return items.length === 1 ? '' : 's';
}
