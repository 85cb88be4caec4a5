import { createHash } from 'node:crypto';
import type { Pop3Client } from '@webpop/pop3';
import { summarizeHeaders, type HeaderSummary } from './header-summary.js';

/** A message of the current session, with the key that recognises it across sessions. */
export interface ListedMessage {
  /** The message number, valid in this session only. */
  readonly number: number;
  readonly size: number;
  /** The UIDL, or (server without UIDL) a digest of the header block and the size. */
  readonly key: string;
}

/**
 * Lists the mailbox (LIST and UIDL, pipelined). Where the server has no UIDL, every message's headers
 * are fetched (TOP n 0, pipelined) to recognise it, and their summaries go into `summaries`.
 */
export async function listMailbox(
  client: Pop3Client,
  summaries: Map<string, HeaderSummary>,
): Promise<ListedMessage[]> {
  const entries = await client.messages();
  const keyed: ListedMessage[] = [];
  const withoutUid = entries.filter((entry) => entry.uid === undefined);
  const keyByNumber = new Map<number, string>();
  if (withoutUid.length > 0) {
    const sizeByNumber = new Map(withoutUid.map((entry) => [entry.number, entry.size]));
    await client.fetchEach({
      numbers: withoutUid.map((entry) => entry.number),
      topLines: 0,
      onMessage: (number, headers) => {
        const key = `sha256:${createHash('sha256').update(headers).digest('hex')}:${sizeByNumber.get(number)}`;
        keyByNumber.set(number, key);
        if (!summaries.has(key)) summaries.set(key, summarizeHeaders(headers));
      },
    });
  }
  for (const { number, size, uid } of entries) {
    // A message the server would not give headers for (deleted meanwhile) has no key and is skipped.
    const key = uid ?? keyByNumber.get(number);
    if (key !== undefined) keyed.push({ number, size, key });
  }
  return keyed;
}

/** Fetches the headers (TOP n 0, pipelined) of the listed messages not yet in `summaries`. */
export async function fetchMissingSummaries(
  client: Pop3Client,
  messages: readonly ListedMessage[],
  summaries: Map<string, HeaderSummary>,
): Promise<void> {
  const missing = messages.filter((message) => !summaries.has(message.key));
  if (missing.length === 0) return;
  const keyByNumber = new Map(missing.map((message) => [message.number, message.key]));
  await client.fetchEach({
    numbers: missing.map((message) => message.number),
    topLines: 0,
    onMessage: (number, headers) => {
      const key = keyByNumber.get(number);
      if (key !== undefined) summaries.set(key, summarizeHeaders(headers));
    },
  });
}
