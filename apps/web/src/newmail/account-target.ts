import { deletesToTrash, type AccountSettings } from '../mailstore/index.js';
import type { UiError } from '../session/errors.js';
import type { AppState, Runtime, StoreTools } from '../store/app-state.js';
import type { MessageRow } from '../store/rows.js';
import { selectCounts } from '../store/selectors.js';
import type { CheckOutcome, CheckRefusal, Readiness } from './schedule.js';
import { newMailSettingsOf, type NewMailSettings } from './settings.js';

/**
 * One account's session as the new-mail check sees it. Today the store holds one account; with
 * several, each account's runtime gives its own (the same five questions of its own state).
 */
export interface NewMailAccount {
  /** The account's key while it has a session (open, being refreshed, or broken); else undefined. */
  key(): string | undefined;
  /** Its name for a notification (its display name, else the username). */
  label(): string;
  readiness(): Readiness;
  settings(): NewMailSettings;
  loginDelaySeconds(): number | undefined;
  /** Refresh (after a refused check, Reconnect): the UIDL diff; the outcome and the rows it added. */
  check(): Promise<{ readonly outcome: CheckOutcome; readonly added: readonly MessageRow[] }>;
  /** Opens the message (a clicked notification). */
  open(uid: string): void;
}

const refusals: ReadonlyMap<UiError['key'], CheckRefusal> = new Map([
  ['error.loginDelay', 'LOGIN-DELAY'],
  ['error.inUse', 'IN-USE'],
] as const);

/** The `[LOGIN-DELAY]` or `[IN-USE]` a failed sign-in was refused with, if that was it. */
export function refusalOf(error: UiError): CheckRefusal | undefined {
  return refusals.get(error.key);
}

/**
 * Whether a check may start: only from an open session, or one a refused check (or Refresh) left
 * broken with a "later" code; not while the user or the app is using the session — a refresh or
 * sign-in, the listing, the background download, a message being opened, or deletions marked that
 * Undo could still take back (QUIT would commit them).
 */
export function readinessOf(state: AppState): Readiness {
  const { session } = state;
  if (session.kind === 'broken') return refusalOf(session.error) ? 'ready' : 'closed';
  if (session.kind === 'reopening') return 'busy';
  if (session.kind !== 'open') return 'closed';
  const { listing, device, open } = state;
  if (listing.phase === 'listing' || listing.phase === 'headers') return 'busy';
  if (device.download.phase === 'running' || open?.kind === 'loading') return 'busy';
  // Under the local Trash a DELE mark is the server-copy policy's, meant for the next QUIT.
  if (!deletesToTrash(device.account?.settings) && selectCounts(state).deleted > 0) return 'busy';
  return 'ready';
}

/** The store's one account as a NewMailAccount. */
export function currentAccount({ get }: StoreTools, runtime: Runtime): NewMailAccount {
  // Read at every store change (the schedule's subscriber); the account's settings object changes only
  // when they are saved, so its answer is kept until then. A download of 1,000 messages makes
  // thousands of changes: a new object each was 265 ms of a profiled download's main thread.
  let read: { from: AccountSettings | undefined; settings: NewMailSettings } | undefined;
  const settingsOf = (from: AccountSettings | undefined): NewMailSettings => {
    if (read === undefined || read.from !== from)
      read = { from, settings: newMailSettingsOf(from, runtime.deps.newMailDefaults) };
    return read.settings;
  };
  return {
    key() {
      const { session } = get();
      return session.kind === 'open' || session.kind === 'reopening' || session.kind === 'broken'
        ? session.account.key
        : undefined;
    },
    label: () =>
      get().device.account?.settings.appearance?.displayName || (runtime.credentials?.username ?? ''),
    readiness: () => readinessOf(get()),
    settings: () => settingsOf(get().device.account?.settings),
    loginDelaySeconds: () => runtime.session?.client.capabilities?.loginDelaySeconds,
    async check() {
      const before = get();
      const known = new Set(before.rows.flatMap((row) => (row.uid === undefined ? [] : [row.uid])));
      if (before.session.kind === 'open') await before.actions.refresh({ background: true });
      else if (before.session.kind === 'broken') await before.actions.reconnect();
      const after = get();
      if (after.session.kind === 'open') {
        const added = after.rows.filter(
          (row) => row.onServer && row.uid !== undefined && !known.has(row.uid),
        );
        return { outcome: { kind: 'ok' }, added };
      }
      const code = after.session.kind === 'broken' ? refusalOf(after.session.error) : undefined;
      return { outcome: code ? { kind: 'refused', code } : { kind: 'failed' }, added: [] };
    },
    open(uid) {
      const state = get();
      const row = state.rows.find((candidate) => candidate.uid === uid);
      if (row) void state.actions.openMessage(row.number);
    },
  };
}
