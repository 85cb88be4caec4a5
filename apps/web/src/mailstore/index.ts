/**
 * The local mail store's public API (see README of apps/web, "The local mail store"): open it with
 * `MailStore.open()`, one instance per page.
 */
export {
  MailStore,
  type ListedMessage,
  type OpenOptions,
  type RawMessage,
  type RawWrite,
  type Usage,
} from './mail-store.js';
export { DATABASE_NAME, SCHEMA_VERSION } from './schema.js';
export { nextTask } from './next-task.js';
export { ComposeStore, type DraftAttachment, type StoredDraft } from './drafts.js';
export {
  appearanceLimits,
  defaultAccountSettings,
  deletesToTrash,
  downloadLimits,
  keepsInFull,
  storeReadLimits,
  listingWriteLimits,
  normalizeAppearance,
  normalizeSettings,
  removesServerCopies,
  settingsLimits,
} from './settings.js';
export {
  byArrival,
  MailStoreError,
  storedHeaders,
  type AccountAppearance,
  type AccountHoldings,
  type AccountSettings,
  type Folder,
  type HeaderSummary,
  type KeepOnDevice,
  type LocalState,
  type MailStoreErrorKind,
  type Place,
  type ServerCopyPolicy,
  type StoredAccount,
  type StoredMessage,
} from './types.js';
export {
  provenCopy,
  serverRemovals,
  type ListedOnServer,
  type RemovalDecision,
  type RemovalInput,
} from './server-copy.js';
