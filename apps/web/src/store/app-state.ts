import type { StateCreator, StoreApi } from 'zustand/vanilla';
import type { ComposeSlice } from '../compose/compose-slice.js';
import type { ConversationsSlice } from '../conversations/conversations-slice.js';
import type { Submit } from '../compose/submit.js';
import type { MailStore } from '../mailstore/index.js';
import type { OAuthDeps, OAuthSlice } from '../oauth/oauth-slice.js';
import type { MailCache } from '../mailstore/mail-cache.js';
import type { ParsedMessage } from '../mime/types.js';
import type { SanitizeHtml } from '../mime/sanitizer-client.js';
import type { SearchService } from '../search/protocol.js';
import type { SearchSlice } from '../search/search-slice.js';
import type { Connect, ServerList, SignInParams } from '../session/types.js';
import type { PasswordStore } from '../session/password-credentials.js';
import type { DeviceSlice, StorageAccess } from './device-slice.js';
import type { ConsoleSlice } from './console-slice.js';
import type { HeaderCacheWriter } from './header-cache.js';
import type { LogBuffer, LogSlice } from './log-slice.js';
import type { MailSession } from './mail-session.js';
import type { Notifier } from '../newmail/notifications.js';
import type { NewMailSlice, NewMailWatch } from '../newmail/newmail-slice.js';
import type { NewMailSettings } from '../newmail/settings.js';
import type { MailboxSlice } from './mailbox-slice.js';
import type { NoticesSlice } from './notices-slice.js';
import type { PreferencesSlice } from './preferences-slice.js';
import type { ReaderSlice } from './reader-slice.js';
import type { SavedSlice } from './saved-slice.js';
import type { TransferSlice } from './transfer-slice.js';
import type { SessionSlice } from './session-slice.js';
import type { SettingsStorage } from './settings.js';

/** The whole store: one slice per concern, each with its own `actions` (merged into one object). */
export type AppState = SessionSlice &
  ConsoleSlice &
  MailboxSlice &
  ReaderSlice &
  LogSlice &
  PreferencesSlice &
  NoticesSlice &
  SavedSlice &
  TransferSlice &
  DeviceSlice &
  SearchSlice &
  ComposeSlice &
  NewMailSlice &
  OAuthSlice &
  ConversationsSlice;

export type AppActions = AppState['actions'];

/** A slice of the store, in zustand's slices pattern. */
export type Slice<Mine> = StateCreator<AppState, [], [], Mine>;

/** set and get of the store, for the helpers that change more than one slice. */
export interface StoreTools {
  readonly set: StoreApi<AppState>['setState'];
  readonly get: () => AppState;
}

export interface AppDeps {
  readonly connect: Connect;
  /** Sends a message through the submission server beside the POP3 one (compose). */
  readonly submit?: Submit;
  /**
   * The received-mail sanitizer (main.tsx: the sanitizer frame), which composed HTML goes through
   * before it is saved or sent; DOMPurify in the page when not given.
   */
  readonly sanitizeHtml?: SanitizeHtml;
  readonly cache: MailCache;
  /** The page's one local mail store (undefined where IndexedDB cannot be used); "Open saved mail". */
  readonly mailStore?: () => Promise<MailStore | undefined>;
  readonly loadServers: () => Promise<ServerList>;
  readonly parseMessage: (bytes: Uint8Array, signal?: AbortSignal) => Promise<ParsedMessage>;
  readonly settingsStorage?: SettingsStorage;
  /** The full-text search over the mail store (the search worker; undefined: no search). */
  readonly search?: () => SearchService | undefined;
  /** navigator.storage where the browser has it. */
  readonly storage?: StorageAccess;
  /** NOOP after this long without a command (default 60 s). */
  readonly keepaliveMs?: number;
  /** Batching of rows and log lines (default 60 ms). */
  readonly flushMs?: number;
  readonly now?: () => number;
  /**
   * After a shared-computer session: removes what the page itself left on the device (an empty mail
   * store database, the service worker and its caches). main.tsx gives the browser's; tests a spy.
   */
  readonly forgetDevice?: () => Promise<void>;
  /** Desktop notifications of new mail (main.tsx: the browser's Notification API; tests: a recorder). */
  readonly notifier?: Notifier;
  /**
   * "Check for new mail" for an account with no saved settings (no mail store, or never saved):
   * newmail/settings.ts's defaults unless given (the tests of other timers turn the check off).
   */
  readonly newMailDefaults?: NewMailSettings;
  /** The browser's password store (Credential Management API; undefined: never offered). */
  readonly passwords?: PasswordStore;
  /** Sign-in with OAuth 2.0 (undefined: no OAuth button does anything). */
  readonly oauth?: OAuthDeps;
}

/**
 * The store's machinery that is not state (nothing renders from it): the current session and
 * sign-in attempt, the password, and the buffers between the engine and the state.
 */
export interface Runtime {
  readonly deps: AppDeps;
  readonly settingsStorage: SettingsStorage;
  readonly keepaliveMs: number;
  readonly flushMs: number;
  readonly now: () => number;
  /**
   * The password (or an OAuth sign-in's token holder) lives here, in memory only, for Refresh and
   * Reconnect.
   */
  credentials: SignInParams | undefined;
  /** Locked: who to sign in as again, without the password or tokens (forgotten at the lock). */
  lockedAs: Omit<SignInParams, 'password' | 'oauth'> | undefined;
  /** The latest user activity (`now()`), for the idle limit. */
  lastActivity: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The session in use was signed in with "This is a shared computer": the mail store is not used,
   * headers are cached in memory only and preferences are not written.
   */
  sharedComputer: boolean;
  /** The state as the store began, for what Sign out forgets (see `forgetSessionState`). */
  blank: AppState | undefined;
  /** The session in use; replaced (its signal aborted) by the next one. */
  session: MailSession | undefined;
  /** The sign-in in progress: aborted when cancelled or superseded. */
  attempt: AbortController | undefined;
  /** The RETR (and parse) of the message being opened: aborted when another is opened or closed. */
  opening: AbortController | undefined;
  /**
   * UIDs marked for deletion in a session that ended without a committed QUIT (a drop, a failed QUIT):
   * the next listing tells the user which of them are still on the server.
   */
  readonly uncommitted: Set<string>;
  /** The header cache of the session in use: over `deps.cache`, or in memory for a shared computer. */
  headerCache: HeaderCacheWriter;
  /** The one over `deps.cache`. */
  readonly deviceHeaderCache: HeaderCacheWriter;
  /**
   * `deps.mailStore()`: the page's store, opened on first use (undefined: mail is not kept here,
   * which includes every shared-computer session).
   */
  readonly mailStore: Promise<MailStore | undefined>;
  /** The background download running (aborted when another starts or the session ends). */
  download: AbortController | undefined;
  readonly log: LogBuffer;
  keepaliveTimer: ReturnType<typeof setInterval> | undefined;
  /** The new-mail check of the account (newmail/): stopped by `dispose`. */
  newMail: NewMailWatch | undefined;
}
