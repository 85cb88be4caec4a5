import { Pop3ServerError, type Pop3Client } from '@webpop/pop3';
import type { EffectiveCriteria, MessageCriteria } from './criteria.js';
import { optionsFromEnvironment } from './environment-options.js';
import { MailboxCancelledError } from './errors.js';
import { listMailbox, type ListedMessage } from './mailbox-listing.js';
import {
  describeMailbox,
  type CleanupMode,
  type MailboxOptions,
  type ResolvedMailboxOptions,
} from './options.js';
import { pollMailbox, type MailboxMemory } from './poll.js';
import { sendMessage, type SendMessageOptions, type SentMessage } from './send.js';
import { runPolls } from './poll-schedule.js';
import { withPop3Session } from './pop3-session.js';
import type { ReceivedMessage } from './received-message.js';
import { mergeMailboxOptions, resolveMailboxOptions } from './resolve-options.js';
import { newAddressNonce, plusAddress, type MailboxScope } from './test-address.js';
import { MailboxTimeoutError, type ArrivedMessage } from './timeout-error.js';
import { UnexpectedMessageError } from './unexpected-message-error.js';

export interface WaitForMessageOptions extends MessageCriteria {
  /** How long to wait, in ms; default the mailbox's `timeout` (20 000). */
  readonly timeout?: number;
  /** The longest pause between two polls, in ms; default the mailbox's `pollInterval` (1 000). */
  readonly pollInterval?: number;
  /** Also consider the messages that were there when the mailbox was opened; default false. */
  readonly includeExisting?: boolean;
}

export interface ExpectNoMessageOptions {
  /** How long no matching message may arrive, in ms; default the mailbox's `timeout`. */
  readonly within?: number;
  readonly pollInterval?: number;
  readonly includeExisting?: boolean;
}

interface WaitRequest {
  readonly operation: string;
  readonly criteria: EffectiveCriteria;
  readonly wanted: number;
  readonly timeoutMs: number;
  readonly pollInterval: number;
  readonly includeExisting: boolean;
  readonly finalPoll: boolean;
}

interface WaitResult {
  readonly found: ReceivedMessage[];
  readonly timeout: MailboxTimeoutError | undefined;
  readonly arrived: ArrivedMessage[];
}

/**
 * A POP3 mailbox for tests. It holds no connection: every operation is one short POP3 session. It
 * remembers which messages were there when it was opened (`ignoreExistingMessages`), the headers it has
 * read, and the messages `waitForMessage` returned, so a message is never returned twice.
 */
export class Mailbox {
  // Private fields (#) keep the password out of util.inspect and console.log.
  readonly #options: MailboxOptions;
  readonly #scope: MailboxScope;
  readonly #nonce = newAddressNonce();
  readonly #addresses = new Set<string>();
  #resolved: Promise<ResolvedMailboxOptions> | undefined;
  readonly #memory: MailboxMemory = {
    existing: new Set(),
    summaries: new Map(),
    returnedKeys: new Set(),
    received: [],
  };
  readonly #waits = new Set<AbortController>();

  /** `scope` is the test the mailbox serves (the fixture passes it), for `address()`. */
  constructor(options: MailboxOptions = {}, scope: MailboxScope = {}) {
    this.#options = options;
    this.#scope = scope;
  }

  /** The options with the environment and defaults applied; rejects with a MailboxConfigError. */
  settings(): Promise<ResolvedMailboxOptions> {
    this.#resolved ??= resolveMailboxOptions(this.#options);
    return this.#resolved;
  }

  /** The messages `waitForMessage` returned, in order. */
  get received(): readonly ReceivedMessage[] {
    return this.#memory.received;
  }

  /**
   * A plus-address of this mailbox that only this test uses (`signup+confirm-3f9a0c12d4@mail.test`);
   * the same for the same tag. Once a test has asked for one, `to` defaults to its addresses.
   */
  address(tag?: string): string {
    const merged = mergeMailboxOptions(optionsFromEnvironment(), this.#options);
    const base = merged.address ?? merged.username ?? '';
    const address = plusAddress(base, this.#scope, this.#nonce, tag);
    this.#addresses.add(address);
    return address;
  }

  /**
   * Remembers the messages in the mailbox now, so that `waitForMessage` ignores them (unless
   * `includeExisting`). `createMailbox` and the fixture call it; returns how many there are.
   */
  async ignoreExistingMessages(): Promise<number> {
    const listed = await this.#session((client) => listMailbox(client, this.#memory.summaries));
    for (const message of listed) this.#memory.existing.add(message.key);
    return listed.length;
  }

  /**
   * Polls (a new POP3 session each time: UIDL, then `TOP n 0` for new messages only, pipelined) until
   * a message matches, then retrieves and parses it. Rejects with a MailboxTimeoutError that lists the
   * criteria and what did arrive.
   */
  async waitForMessage(options: WaitForMessageOptions = {}): Promise<ReceivedMessage> {
    const [message] = await this.waitForMessages(1, options, 'waitForMessage');
    return message!;
  }

  /** Waits until `count` messages match (each returned once), oldest first. */
  async waitForMessages(
    count: number,
    options: WaitForMessageOptions = {},
    operation = 'waitForMessages',
  ): Promise<ReceivedMessage[]> {
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`waitForMessages: count must be a whole number of at least 1, not ${count}`);
    }
    const result = await this.#wait(await this.#request(operation, count, options, options.timeout, false));
    if (result.timeout) throw result.timeout;
    return result.found;
  }

  /**
   * Resolves when no message matching `criteria` arrives `within` ms (polling to the end of the
   * window); rejects with an UnexpectedMessageError showing the one that did, and what else came.
   */
  async expectNoMessage(criteria: MessageCriteria = {}, options: ExpectNoMessageOptions = {}): Promise<void> {
    const request = await this.#request(
      'expectNoMessage',
      1,
      { ...criteria, ...options },
      options.within,
      true,
    );
    const result = await this.#wait(request);
    const [message] = result.found;
    if (message === undefined) return;
    const settings = await this.settings();
    throw new UnexpectedMessageError({
      criteria: request.criteria,
      withinMs: request.timeoutMs,
      mailbox: describeMailbox(settings),
      message,
      arrived: result.arrived,
    });
  }

  /**
   * Sends a message through the SMTP submission server in the `smtp` option (default: the mailbox's
   * host on 587 with STARTTLS, logged in as the mailbox's user), for tests of apps that receive mail.
   */
  async send(message: SendMessageOptions): Promise<SentMessage> {
    const settings = await this.settings();
    return sendMessage(message, settings.smtp, settings);
  }

  /** Deletes every message in the mailbox (DELE, then QUIT to commit); returns how many. */
  deleteAll(): Promise<number> {
    return this.#deleteWhere(() => true);
  }

  /** Deletes the messages `waitForMessage` returned; returns how many were still there. */
  deleteReceived(): Promise<number> {
    return this.#deleteWhere((message) => this.#memory.returnedKeys.has(message.key));
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
        return this.#memory.returnedKeys.size > 0 ? this.deleteReceived() : 0;
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

  async #request(
    operation: string,
    wanted: number,
    options: WaitForMessageOptions,
    timeout: number | undefined,
    finalPoll: boolean,
  ): Promise<WaitRequest> {
    const settings = await this.settings();
    const { to, from, subject, since, text, html, match } = options;
    // `to` left out: this test's own addresses, once it asked for one. `null`: anyone.
    const own = to === undefined && this.#addresses.size > 0 ? [...this.#addresses] : undefined;
    return {
      operation,
      criteria: { to, from, subject, since, text, html, match, ...(own ? { recipientIn: own } : {}) },
      wanted,
      timeoutMs: timeout ?? settings.timeout,
      pollInterval: options.pollInterval ?? settings.pollInterval,
      includeExisting: options.includeExisting ?? false,
      finalPoll,
    };
  }

  async #wait(request: WaitRequest): Promise<WaitResult> {
    const settings = await this.settings();
    const wait = new AbortController();
    this.#waits.add(wait);
    const found: ReceivedMessage[] = [];
    const arrived = new Map<string, ArrivedMessage>();
    const contentRejected = new Set<string>();
    let ignoredExisting = 0;
    let alreadyReturned = 0;
    try {
      const run = await runPolls({
        timeoutMs: request.timeoutMs,
        maxIntervalMs: request.pollInterval,
        finalPoll: request.finalPoll,
        cancel: wait.signal,
        poll: (signal) =>
          withPop3Session(
            settings,
            async (client) => {
              const outcome = await pollMailbox(
                client,
                this.#memory,
                {
                  criteria: request.criteria,
                  includeExisting: request.includeExisting,
                  want: request.wanted - found.length,
                  contentRejected,
                },
                signal,
              );
              // What earlier polls of this wait found is "returned" now, but not by an earlier wait.
              alreadyReturned = outcome.alreadyReturned - found.length;
              found.push(...outcome.found);
              for (const message of outcome.unmatched) arrived.set(message.uid, message);
              ignoredExisting = outcome.ignoredExisting;
              return found.length >= request.wanted;
            },
            signal,
          ),
      });
      const timeout = run.done
        ? undefined
        : new MailboxTimeoutError({
            operation: request.operation,
            criteria: request.criteria,
            wanted: request.wanted,
            foundCount: found.length,
            timeoutMs: request.timeoutMs,
            mailbox: describeMailbox(settings),
            polls: run.polls,
            arrived: [...arrived.values()],
            ignoredExisting,
            alreadyReturned: Math.max(0, alreadyReturned),
            lastError: run.lastError,
          });
      return { found, timeout, arrived: [...arrived.values()] };
    } finally {
      this.#waits.delete(wait);
    }
  }

  async #deleteWhere(select: (message: ListedMessage) => boolean): Promise<number> {
    return this.#session(async (client) => {
      const chosen = (await listMailbox(client, this.#memory.summaries)).filter(select);
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
}

/** A Mailbox that ignores the messages already there: `waitForMessage` only sees new ones. */
export async function createMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  const mailbox = new Mailbox(options);
  await mailbox.ignoreExistingMessages();
  return mailbox;
}
