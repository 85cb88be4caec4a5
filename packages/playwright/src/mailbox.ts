import { setTimeout as sleep } from 'node:timers/promises';
import { Pop3ServerError, type Pop3Client } from '@webpop/pop3';
import { matchesCriteria, type MessageCriteria } from './criteria.js';
import { MailboxCancelledError } from './errors.js';
import type { HeaderSummary } from './header-summary.js';
import { fetchMissingSummaries, listMailbox, type ListedMessage } from './mailbox-listing.js';
import {
  describeMailbox,
  type CleanupMode,
  type MailboxOptions,
  type ResolvedMailboxOptions,
} from './options.js';
import { withPop3Session } from './pop3-session.js';
import { parseReceivedMessage, type ReceivedMessage } from './received-message.js';
import { resolveMailboxOptions } from './resolve-options.js';
import { MailboxTimeoutError, type ArrivedMessage } from './timeout-error.js';
import { isTransientPop3Error } from './transient-errors.js';

export interface WaitForMessageOptions extends MessageCriteria {
  /** How long to wait, in ms; default the mailbox's `timeout` (20 000). */
  readonly timeout?: number;
  /** The pause between two polls, in ms; default the mailbox's `pollInterval` (1 000). */
  readonly pollInterval?: number;
  /** Also consider the messages that were there when the mailbox was opened; default false. */
  readonly includeExisting?: boolean;
}

interface PollOutcome {
  readonly message: ReceivedMessage | undefined;
  readonly unmatched: ArrivedMessage[];
  readonly ignoredExisting: number;
  readonly alreadyReturned: number;
}

/**
 * A POP3 mailbox for tests. It holds no connection: every operation is one short POP3 session. It
 * remembers which messages were there when it was opened (`ignoreExistingMessages`), the headers it has
 * read, and the messages `waitForMessage` returned, so a message is never returned twice.
 */
export class Mailbox {
  // Private fields (#) keep the password out of util.inspect and console.log.
  readonly #options: MailboxOptions;
  #resolved: Promise<ResolvedMailboxOptions> | undefined;
  readonly #existing = new Set<string>();
  readonly #summaries = new Map<string, HeaderSummary>();
  readonly #returnedKeys = new Set<string>();
  readonly #received: ReceivedMessage[] = [];
  readonly #waits = new Set<AbortController>();

  constructor(options: MailboxOptions = {}) {
    this.#options = options;
  }

  /** The options with the environment and defaults applied; rejects with a MailboxConfigError. */
  settings(): Promise<ResolvedMailboxOptions> {
    this.#resolved ??= resolveMailboxOptions(this.#options);
    return this.#resolved;
  }

  /** The messages `waitForMessage` returned, in order. */
  get received(): readonly ReceivedMessage[] {
    return this.#received;
  }

  /**
   * Remembers the messages in the mailbox now, so that `waitForMessage` ignores them (unless
   * `includeExisting`). `createMailbox` and the fixture call it; returns how many there are.
   */
  async ignoreExistingMessages(): Promise<number> {
    const listed = await this.#session((client) => listMailbox(client, this.#summaries));
    for (const message of listed) this.#existing.add(message.key);
    return listed.length;
  }

  /**
   * Polls (a new POP3 session each time: UIDL, then `TOP n 0` for new messages only, pipelined) until
   * a message matches, then retrieves and parses it. Rejects with a MailboxTimeoutError that lists the
   * criteria and what did arrive.
   */
  async waitForMessage(options: WaitForMessageOptions = {}): Promise<ReceivedMessage> {
    const settings = await this.settings();
    const timeoutMs = options.timeout ?? settings.timeout;
    const pollInterval = options.pollInterval ?? settings.pollInterval;
    const criteria: MessageCriteria = {
      to: options.to,
      from: options.from,
      subject: options.subject,
      since: options.since,
    };
    const deadline = Date.now() + timeoutMs;
    const wait = new AbortController();
    this.#waits.add(wait);
    const timer = setTimeout(() => wait.abort(), timeoutMs);
    const arrived = new Map<string, ArrivedMessage>();
    let polls = 0;
    let lastError: Error | undefined;
    let ignoredExisting = 0;
    let alreadyReturned = 0;
    try {
      while (true) {
        try {
          polls++;
          const outcome = await this.#poll(settings, criteria, options.includeExisting ?? false, wait.signal);
          ignoredExisting = outcome.ignoredExisting;
          alreadyReturned = outcome.alreadyReturned;
          for (const message of outcome.unmatched) arrived.set(message.uid, message);
          if (outcome.message) return outcome.message;
        } catch (error) {
          if (wait.signal.aborted) this.#throwIfCancelled(wait);
          else if (isTransientPop3Error(error)) lastError = error;
          else throw error;
        }
        const pause = Math.min(pollInterval, deadline - Date.now());
        if (pause <= 0 || wait.signal.aborted) break;
        await sleep(pause, undefined, { signal: wait.signal }).catch(() => undefined);
        this.#throwIfCancelled(wait);
        if (wait.signal.aborted) break;
      }
    } finally {
      clearTimeout(timer);
      this.#waits.delete(wait);
    }
    throw new MailboxTimeoutError({
      criteria,
      timeoutMs,
      mailbox: describeMailbox(settings),
      polls,
      arrived: [...arrived.values()],
      ignoredExisting,
      alreadyReturned,
      lastError,
    });
  }

  /** Deletes every message in the mailbox (DELE, then QUIT to commit); returns how many. */
  deleteAll(): Promise<number> {
    return this.#deleteWhere(() => true);
  }

  /** Deletes the messages `waitForMessage` returned; returns how many were still there. */
  deleteReceived(): Promise<number> {
    return this.#deleteWhere((message) => this.#returnedKeys.has(message.key));
  }

  /** Deletes the given messages; returns how many were still there. */
  delete(...messages: ReceivedMessage[]): Promise<number> {
    const keys = new Set(messages.map((message) => message.uid));
    return this.#deleteWhere((message) => keys.has(message.key));
  }

  /** What the fixture does after each test: delete what the test received, everything, or nothing. */
  async cleanup(mode?: CleanupMode): Promise<number> {
    switch (mode ?? (await this.settings()).cleanup) {
      case 'consumed':
        return this.#returnedKeys.size > 0 ? this.deleteReceived() : 0;
      case 'all':
        return this.deleteAll();
      case 'none':
        return 0;
    }
  }

  /** Makes every pending `waitForMessage` reject at once (the fixture does this when a test ends). */
  cancelPendingWaits(): void {
    for (const wait of this.#waits) wait.abort(new MailboxCancelledError());
  }

  async #poll(
    settings: ResolvedMailboxOptions,
    criteria: MessageCriteria,
    includeExisting: boolean,
    signal: AbortSignal,
  ): Promise<PollOutcome> {
    return withPop3Session(
      settings,
      async (client) => {
        const listed = await listMailbox(client, this.#summaries);
        let ignoredExisting = 0;
        let alreadyReturned = 0;
        const candidates = listed.filter((message) => {
          if (this.#returnedKeys.has(message.key)) alreadyReturned++;
          else if (!includeExisting && this.#existing.has(message.key)) ignoredExisting++;
          else return true;
          return false;
        });
        await fetchMissingSummaries(client, candidates, this.#summaries);
        const unmatched: ArrivedMessage[] = [];
        for (const candidate of candidates) {
          const summary = this.#summaries.get(candidate.key);
          if (summary === undefined) continue; // the server refused its headers: gone meanwhile
          if (!matchesCriteria(summary, criteria)) {
            unmatched.push({ uid: candidate.key, ...summary });
            continue;
          }
          const message = await this.#retrieve(client, candidate, signal);
          if (message) return { message, unmatched, ignoredExisting, alreadyReturned };
        }
        return { message: undefined, unmatched, ignoredExisting, alreadyReturned };
      },
      signal,
    );
  }

  /** RETR and parse; undefined when another wait claimed it first or the server no longer has it. */
  async #retrieve(
    client: Pop3Client,
    candidate: ListedMessage,
    signal: AbortSignal,
  ): Promise<ReceivedMessage | undefined> {
    if (this.#returnedKeys.has(candidate.key)) return undefined;
    this.#returnedKeys.add(candidate.key); // claimed, so a concurrent wait does not return it too
    try {
      const raw = await client.retr(candidate.number, { signal });
      const message = await parseReceivedMessage(candidate.key, raw);
      this.#received.push(message);
      return message;
    } catch (error) {
      this.#returnedKeys.delete(candidate.key);
      if (error instanceof Pop3ServerError) return undefined;
      throw error;
    }
  }

  async #deleteWhere(select: (message: ListedMessage) => boolean): Promise<number> {
    return this.#session(async (client) => {
      const chosen = (await listMailbox(client, this.#summaries)).filter(select);
      const deleted = await Promise.all(
        chosen.map((message) =>
          client.dele(message.number).then(
            () => true,
            (error: unknown) => {
              if (error instanceof Pop3ServerError) return false; // deleted by someone else meanwhile
              throw error;
            },
          ),
        ),
      );
      return deleted.filter(Boolean).length;
    });
  }

  async #session<T>(work: (client: Pop3Client) => Promise<T>): Promise<T> {
    return withPop3Session(await this.settings(), work);
  }

  #throwIfCancelled(wait: AbortController): void {
    if (wait.signal.reason instanceof MailboxCancelledError) throw wait.signal.reason;
  }
}

/** A Mailbox that ignores the messages already there: `waitForMessage` only sees new ones. */
export async function createMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  const mailbox = new Mailbox(options);
  await mailbox.ignoreExistingMessages();
  return mailbox;
}
