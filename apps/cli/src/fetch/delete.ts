import { Pop3ServerError, type Pop3Client } from '@webpop/pop3';
import { proveSaved } from '../delete-proof.js';
import { describeError } from '../errors.js';
import type { FetchState } from '../fetch-state.js';
import type { Earlier, Wanted } from './plan.js';

const dayMs = 86_400_000;

/**
 * --keep-days N: of the messages an earlier run saved, those whose record says they were saved more
 * than N days before `now` (the others stay on the server for now). The record's `savedAt` is the
 * time of the first verified copy; a record without a readable time is never due.
 */
export function dueForDeletion(
  earlier: readonly Earlier[],
  state: FetchState,
  keepDays: number,
  now: number,
): { due: Earlier[]; kept: number } {
  const due = earlier.filter(({ wanted }) => {
    const savedAt = Date.parse(state.get(wanted.uid)?.savedAt ?? '');
    return Number.isFinite(savedAt) && now - savedAt > keepDays * dayMs;
  });
  return { due, kept: earlier.length - due.length };
}

/** Of the messages an earlier run saved, those still proven saved; the others go to `onUnproven`. */
export async function provenEarlier(
  earlier: readonly Earlier[],
  state: FetchState,
  onUnproven: (message: Wanted, reason: string) => void,
): Promise<Wanted[]> {
  const proven: Wanted[] = [];
  const maildirListings = new Map<string, Promise<string[]>>();
  for (const { entry, wanted: message } of earlier) {
    const proof = await proveSaved(entry, state.get(message.uid), state.path, maildirListings);
    if (proof.proven) proven.push(message);
    else onUnproven(message, proof.reason);
  }
  return proven;
}

/** DELE for each verified message (pipelined); returns how many the server accepted. */
export async function markDeleted(
  client: Pop3Client,
  messages: readonly Wanted[],
  onRefused: (message: Wanted, error: string) => void,
): Promise<number> {
  const results = await Promise.allSettled(messages.map((message) => client.dele(message.number)));
  let marked = 0;
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') marked++;
    else if (result.reason instanceof Pop3ServerError)
      onRefused(messages[index]!, describeError(result.reason));
  });
  const broken = results.find(
    (result) => result.status === 'rejected' && !(result.reason instanceof Pop3ServerError),
  );
  if (broken?.status === 'rejected') throw broken.reason;
  return marked;
}
