import type { MailStore, StoredMessage } from '../mailstore/index.js';
import type { ParsedMessage } from '../mime/types.js';
import { documentFromHeaders, documentFromParsed, hasPhrases, phraseText, signatureOf } from './document.js';
import { searchLimits } from './limits.js';
import { parseQuery } from './query.js';
import type { SearchDb } from './search-db.js';
import type { AccountIndex, IndexEngine, MessageSummary, SearchHit } from './account-index.js';
import { postingsEngine } from './search-index.js';
import { SummaryJournal } from './summary-journal.js';
import { packLines, type SummaryLines } from './summary-lines.js';

export interface SyncOutcome {
  /** Messages (re)indexed by this sync. */
  readonly indexed: number;
  /** Messages removed from the index. */
  readonly removed: number;
  /** Messages in the index after it. */
  readonly total: number;
}

export interface SearchOutcome {
  readonly hits: readonly SearchHit[];
  /** Messages of the account kept as headers only: searched by sender and subject only. */
  readonly headersOnly: number;
}

/** How the list's lines changed after a version (`SearchService.summaries`). */
export interface SummaryChanges {
  /** Each changed UIDL with its line now, or none where it has none any more (removed, or nothing to show). Oldest change first. */
  readonly changes: SummaryLines;
  /** The version these changes bring the asker to: ask from it next time. */
  readonly version: number;
  /** Changes after `version` are left (more than one answer holds). */
  readonly more: boolean;
}

export interface IndexerDeps {
  readonly mailStore: MailStore;
  readonly searchDb: SearchDb;
  readonly parse: (bytes: Uint8Array) => Promise<ParsedMessage>;
  /** Schedules the save of an index after a burst of changes (a timer in the worker; tests save at once). */
  readonly schedule?: (account: string, save: () => void) => void;
  /** The index engine (postings.ts unless told; the tests run both engines). */
  readonly engine?: IndexEngine;
  /** List lines per `summaries` answer (searchLimits.summariesPerAnswer unless told; tests slice small mailboxes). */
  readonly summariesPerAnswer?: number;
}

/** A record the index should have: in a folder, with something to search. */
const searchable = (record: StoredMessage): boolean =>
  record.place !== 'erased' && (record.headers !== undefined || record.storedBytes > 0);

/**
 * Keeps each account's index in step with the mail store (sync: what changed since the last one,
 * by signature) and answers queries. Runs in the search worker; the state is the mail store, the
 * index only mirrors it, so a rebuild is a sync from nothing.
 */
export class Indexer {
  private readonly indexes = new Map<string, Promise<AccountIndex>>();
  private readonly syncs = new Map<
    string,
    { running?: Promise<SyncOutcome>; queued?: Promise<SyncOutcome> }
  >();

  private readonly engine: IndexEngine;
  /** Per account: which messages' list lines changed, for `summaries` (made with the account's index). */
  private readonly journals = new Map<string, SummaryJournal>();

  constructor(private readonly deps: IndexerDeps) {
    this.engine = deps.engine ?? postingsEngine;
  }

  private index(account: string): Promise<AccountIndex> {
    let found = this.indexes.get(account);
    if (!found) {
      // An index saved by another engine or version is not loaded: the sync indexes everything again.
      found = this.deps.searchDb
        .loadIndex(account)
        .then((saved) => (saved && this.engine.load(saved)) || this.engine.create())
        .catch(() => this.engine.create())
        .then((index) => {
          // Everything loaded is news to a page that has seen nothing yet.
          const journal = this.journal(account);
          for (const uid of index.uids()) journal.touch(uid);
          return index;
        });
      this.indexes.set(account, found);
    }
    return found;
  }

  /**
   * Brings the index up to date with the store. A call while a sync runs waits for one more run after
   * it (so it sees every change made before the call); calls in the meantime share that run.
   */
  sync(account: string): Promise<SyncOutcome> {
    const state = this.syncs.get(account) ?? {};
    this.syncs.set(account, state);
    if (state.queued) return state.queued;
    const start = (): Promise<SyncOutcome> => {
      const run = this.syncNow(account).finally(() => {
        if (state.running === run) state.running = undefined;
      });
      state.running = run;
      return run;
    };
    if (!state.running) return start();
    const queued = state.running
      .catch(() => undefined)
      .then(() => {
        state.queued = undefined;
        return start();
      });
    state.queued = queued;
    return queued;
  }

  private async syncNow(account: string): Promise<SyncOutcome> {
    const index = await this.index(account);
    const records = (await this.deps.mailStore.messages(account)).filter(searchable);
    const wanted = new Set(records.map((record) => record.uid));
    const gone = [...index.uids()].filter((uid) => !wanted.has(uid));
    const journal = this.journal(account);
    for (const uid of gone) {
      index.remove(uid);
      journal.touch(uid);
    }
    const changed = records.filter((record) => index.signature(record.uid) !== signatureOf(record));
    let texts: Array<readonly [string, string | undefined]> = gone.map((uid) => [uid, undefined] as const);
    for (const record of changed) {
      const document = await this.documentOf(account, record);
      index.put(document, signatureOf(record));
      journal.touch(record.uid);
      texts.push([record.uid, document.headersOnly ? undefined : phraseText(document)]);
      if (texts.length >= searchLimits.batch) {
        await this.deps.searchDb.putTexts(account, texts);
        texts = [];
      }
    }
    await this.deps.searchDb.putTexts(account, texts);
    if (changed.length > 0 || gone.length > 0) this.scheduleSave(account, index);
    return { indexed: changed.length, removed: gone.length, total: index.size };
  }

  private async documentOf(account: string, record: StoredMessage) {
    if (record.storedBytes === 0) return documentFromHeaders(record);
    const bytes = await this.deps.mailStore.raw(account, record.uid);
    if (!bytes) return documentFromHeaders(record);
    try {
      return documentFromParsed(record, await this.deps.parse(bytes));
    } catch {
      // Too complex to parse (limits): its headers are still searchable.
      return documentFromHeaders(record);
    }
  }

  private scheduleSave(account: string, index: AccountIndex): void {
    const save = () =>
      void index
        .save()
        .then((saved) => this.deps.searchDb.saveIndex(account, saved))
        .catch(() => {});
    if (this.deps.schedule) this.deps.schedule(account, save);
    else save();
  }

  private journal(account: string): SummaryJournal {
    let journal = this.journals.get(account);
    if (!journal) {
      journal = new SummaryJournal();
      this.journals.set(account, journal);
    }
    return journal;
  }

  /**
   * How the snippets and attachment marks of the account's messages changed after version `since`
   * (0: every message that has one), at most `summariesPerAnswer` of them.
   */
  async summaries(account: string, since: number): Promise<SummaryChanges> {
    const index = await this.index(account);
    const { uids, version, more } = this.journal(account).since(
      since,
      this.deps.summariesPerAnswer ?? searchLimits.summariesPerAnswer,
    );
    const changes: Array<readonly [string, MessageSummary | null]> = [];
    for (const uid of uids) {
      const summary = index.summary(uid);
      // From nothing, a message without a line is no change.
      if (summary || since > 0) changes.push([uid, summary ?? null]);
    }
    return { changes: packLines(changes), version, more };
  }

  /** Saves the index now (tests; the worker before it is closed). */
  async flush(account: string): Promise<void> {
    await this.deps.searchDb.saveIndex(account, await (await this.index(account)).save());
  }

  /** Forgets the index and texts and indexes everything again from the store. */
  async rebuild(account: string): Promise<SyncOutcome> {
    const state = this.syncs.get(account);
    await (state?.queued ?? state?.running)?.catch(() => {});
    const old = await this.index(account);
    await this.deps.searchDb.clear(account);
    this.indexes.set(account, Promise.resolve(this.engine.create()));
    const journal = this.journal(account);
    for (const uid of old.uids()) journal.touch(uid);
    return this.sync(account);
  }

  async search(account: string, text: string): Promise<SearchOutcome> {
    const query = parseQuery(text);
    const index = await this.index(account);
    let hits = index.search(query);
    if (query.phrases.length > 0) {
      const checked = await Promise.all(
        hits.map(async (hit) => {
          const own = await this.deps.searchDb.text(account, hit.uid);
          return own !== undefined && hasPhrases(own, query.phrases);
        }),
      );
      hits = hits.filter((_, at) => checked[at]);
    }
    if (query.starred !== undefined) {
      // Stars are local state, not content: read from the store (only for is:starred).
      const records = await this.deps.mailStore.messages(account);
      const starred = new Set(records.filter((record) => record.starred).map((record) => record.uid));
      hits = hits.filter((hit) => starred.has(hit.uid) === query.starred);
    }
    return { hits, headersOnly: index.headersOnlyCount() };
  }
}
