import { Pop3ServerError, type Pop3Client } from '@webpop/pop3';
import { hasContentCriteria, matchesContent, matchesHeaders, type EffectiveCriteria } from './criteria.js';
import type { HeaderSummary } from './header-summary.js';
import { fetchMissingSummaries, listMailbox, type ListedMessage } from './mailbox-listing.js';
import { parseReceivedMessage, type ReceivedMessage } from './received-message.js';
import type { ArrivedMessage } from './timeout-error.js';

/** What a Mailbox remembers between its POP3 sessions. */
export interface MailboxMemory {
  /** Keys of the messages there when the mailbox was opened. */
  readonly existing: Set<string>;
  readonly summaries: Map<string, HeaderSummary>;
  /** Keys of the messages a wait returned (or has claimed while it retrieves them). */
  readonly returnedKeys: Set<string>;
  readonly received: ReceivedMessage[];
}

export interface PollRequest {
  readonly criteria: EffectiveCriteria;
  readonly includeExisting: boolean;
  /** How many matching messages this poll may return at most. */
  readonly want: number;
  /** Keys whose content this wait already retrieved and found not matching: not retrieved again. */
  readonly contentRejected: Set<string>;
}

export interface PollOutcome {
  readonly found: ReceivedMessage[];
  readonly unmatched: ArrivedMessage[];
  readonly ignoredExisting: number;
  readonly alreadyReturned: number;
}

/**
 * One look at the mailbox in an open session: LIST and UIDL, `TOP n 0` for messages not seen before,
 * the header criteria on every candidate, and RETR only for those that pass them (to check the content
 * criteria, or to return the message).
 */
export async function pollMailbox(
  client: Pop3Client,
  memory: MailboxMemory,
  request: PollRequest,
  signal: AbortSignal,
): Promise<PollOutcome> {
  const listed = await listMailbox(client, memory.summaries);
  let ignoredExisting = 0;
  let alreadyReturned = 0;
  const candidates = listed.filter((message) => {
    if (memory.returnedKeys.has(message.key)) alreadyReturned++;
    else if (!request.includeExisting && memory.existing.has(message.key)) ignoredExisting++;
    else return true;
    return false;
  });
  await fetchMissingSummaries(client, candidates, memory.summaries);
  const found: ReceivedMessage[] = [];
  const unmatched: ArrivedMessage[] = [];
  for (const candidate of candidates) {
    const summary = memory.summaries.get(candidate.key);
    if (summary === undefined) continue; // the server refused its headers: gone meanwhile
    if (!matchesHeaders(summary, request.criteria)) {
      unmatched.push({ uid: candidate.key, ...summary, headersMatched: false });
      continue;
    }
    if (found.length >= request.want) continue;
    if (request.contentRejected.has(candidate.key)) {
      unmatched.push({ uid: candidate.key, ...summary, headersMatched: true });
      continue;
    }
    const message = await retrieve(client, memory, candidate, request, signal);
    if (message === 'content-mismatch') {
      unmatched.push({ uid: candidate.key, ...summary, headersMatched: true });
    } else if (message) {
      found.push(message);
    }
  }
  return { found, unmatched, ignoredExisting, alreadyReturned };
}

/**
 * RETR, parse and check the content criteria. Undefined when another wait claimed it first or the
 * server no longer has it.
 */
async function retrieve(
  client: Pop3Client,
  memory: MailboxMemory,
  candidate: ListedMessage,
  request: PollRequest,
  signal: AbortSignal,
): Promise<ReceivedMessage | 'content-mismatch' | undefined> {
  if (memory.returnedKeys.has(candidate.key)) return undefined;
  memory.returnedKeys.add(candidate.key); // claimed, so a concurrent wait does not return it too
  let message: ReceivedMessage;
  try {
    const raw = await client.retr(candidate.number, { signal });
    message = await parseReceivedMessage(candidate.key, raw);
  } catch (error) {
    memory.returnedKeys.delete(candidate.key);
    if (error instanceof Pop3ServerError) return undefined;
    throw error;
  }
  if (hasContentCriteria(request.criteria) && !safelyMatchesContent(message, request, candidate.key)) {
    return 'content-mismatch';
  }
  memory.received.push(message);
  return message;

  function safelyMatchesContent(parsed: ReceivedMessage, poll: PollRequest, key: string): boolean {
    let matched = false;
    try {
      matched = matchesContent(parsed, poll.criteria);
    } finally {
      // A `match` that throws fails the wait; either way an unmatched message is free for other waits.
      if (!matched) {
        memory.returnedKeys.delete(key);
        poll.contentRejected.add(key);
      }
    }
    return matched;
  }
}
