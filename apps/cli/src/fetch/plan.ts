import { readdir } from 'node:fs/promises';
import { Pop3UnsupportedError, type MessageEntry } from '@webpop/pop3';
import { LocalError } from '../connect.js';
import type { FetchState } from '../fetch-state.js';
import { fileNameForUid } from '../filename.js';
import { addFailure, type FetchSummary } from './summary.js';

/** A message to download. */
export interface Wanted {
  readonly number: number;
  readonly uid: string;
  readonly size: number;
  readonly name: string;
  /**
   * Its file exists but the state file has no record of it (saved by hand, by an older webpop, or a
   * crash between saving and recording): with --delete it is downloaded again and compared with
   * the file, never written; identical bytes are the proof that lets it be recorded and deleted.
   */
  readonly recheck?: boolean;
}

/** Skipped because an earlier run saved it: with --delete, deleted once proven still saved. */
export interface Earlier {
  readonly entry: MessageEntry;
  readonly wanted: Wanted;
}

/**
 * Which messages to download: those with neither a file nor a record in the state file (a record
 * alone means it was saved and the file since moved: it is not downloaded again). With --delete, a
 * file without a record is downloaded again to be compared (see Wanted.recheck). Refuses a server
 * without UIDL. A message whose id cannot tell it apart between runs (left out of UIDL, or sharing
 * its id with another) is a failure, never saved nor skipped: a later run would take it, or
 * another, for already saved. Records of messages no longer on the server are dropped.
 */
export async function plan(
  messages: readonly MessageEntry[],
  out: string,
  state: FetchState,
  deleting: boolean,
  summary: FetchSummary,
  /** Files named by UIDL (`<uidl>.eml`) can be found without a record; Maildir names cannot. */
  namedByUid = true,
): Promise<{ wanted: Wanted[]; earlier: Earlier[] }> {
  if (messages.some((message) => message.uidProblem === 'unsupported')) {
    throw new Pop3UnsupportedError(
      'the server has no UIDL, so messages cannot be told apart between runs and a resumable backup would be unsafe',
    );
  }
  let existing: Set<string>;
  try {
    existing = new Set(namedByUid ? await readdir(out) : []);
  } catch (error) {
    throw new LocalError(`cannot read the folder ${out}: ${(error as Error).message}`);
  }
  await state.retainOnly(new Set(messages.flatMap((message) => (message.uid ? [message.uid] : []))));
  const wanted: Wanted[] = [];
  const earlier: Earlier[] = [];
  for (const message of messages) {
    const refusal = unsafeIdReason(message, messages);
    if (refusal !== undefined) {
      addFailure(summary, message, refusal);
      continue;
    }
    const uid = message.uid!;
    const item: Wanted = { number: message.number, uid, size: message.size, name: fileNameForUid(uid) };
    const recorded = state.has(uid);
    if (!existing.has(item.name) && !recorded) {
      wanted.push(item);
    } else if (deleting && !recorded) {
      summary.skipped++;
      wanted.push({ ...item, recheck: true });
    } else {
      summary.skipped++;
      earlier.push({ entry: message, wanted: item });
    }
  }
  return { wanted, earlier };
}

function unsafeIdReason(message: MessageEntry, messages: readonly MessageEntry[]): string | undefined {
  if (message.uidProblem === 'missing') {
    return "the server's UIDL has no entry for it, so it cannot be told apart between runs";
  }
  if (message.uidProblem === 'duplicate') {
    const others = messages
      .filter((other) => other.uid === message.uid && other.number !== message.number)
      .map((other) => other.number);
    return `it has the same UIDL as message ${others.join(', ')}, so they cannot be told apart between runs`;
  }
  return undefined;
}
