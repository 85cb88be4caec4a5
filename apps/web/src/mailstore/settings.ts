import { normalizeNewMail } from '../newmail/settings.js';
import type { AccountAppearance, AccountSettings, KeepOnDevice, ServerCopyPolicy } from './types.js';

/** The limits of the settings' number fields, in one place. */
export const settingsLimits = {
  minDays: 1,
  maxDays: 3650,
  minKb: 1,
  maxKb: 1_048_576,
} as const;

/**
 * A new account keeps every server copy and saves headers only: nothing is removed, and no traffic
 * beyond the list's, until the user chooses in "Account settings" (the form offers "Messages up to"
 * 512 KB as the size).
 */
export const defaultAccountSettings: AccountSettings = {
  serverCopy: { kind: 'keep' },
  keepOnDevice: { kind: 'headers' },
  evictionAcknowledged: false,
};

/** Whether a message of `size` bytes is downloaded in full under the rule. */
export function keepsInFull(rule: KeepOnDevice, size: number): boolean {
  switch (rule.kind) {
    case 'headers':
      return false;
    case 'upTo':
      return size <= rule.kb * 1024;
    case 'everything':
      return true;
  }
}

/**
 * Whether Delete moves a message to the local Trash (the server copy then follows the server-copy
 * policy): when the account keeps mail on this device. With "Headers only" nothing is kept here to
 * put in a Trash, and Delete marks the server copy with DELE at once, as a webmail does.
 */
export function deletesToTrash(settings: AccountSettings | undefined): boolean {
  return settings !== undefined && settings.keepOnDevice.kind !== 'headers';
}

/** Whether the policy ever removes a server copy on its own. */
export function removesServerCopies(policy: ServerCopyPolicy): boolean {
  return policy.kind !== 'keep';
}

function clampInteger(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(Number.isFinite(value) ? value : min)));
}

/** Settings from a form or an old record, with numbers brought into their limits. */
export function normalizeSettings(settings: AccountSettings): AccountSettings {
  const { serverCopy, keepOnDevice } = settings;
  return {
    serverCopy:
      serverCopy.kind === 'afterDays'
        ? {
            kind: 'afterDays',
            days: clampInteger(serverCopy.days, settingsLimits.minDays, settingsLimits.maxDays),
          }
        : serverCopy,
    keepOnDevice:
      keepOnDevice.kind === 'upTo'
        ? { kind: 'upTo', kb: clampInteger(keepOnDevice.kb, settingsLimits.minKb, settingsLimits.maxKb) }
        : keepOnDevice,
    evictionAcknowledged: settings.evictionAcknowledged,
    ...(settings.identity
      ? {
          identity: {
            name: settings.identity.name.trim(),
            address: settings.identity.address.trim(),
            replyTo: settings.identity.replyTo.trim(),
            signature: settings.identity.signature,
          },
        }
      : {}),
    ...(settings.newMail ? { newMail: normalizeNewMail(settings.newMail) } : {}),
    ...(settings.appearance ? { appearance: normalizeAppearance(settings.appearance) } : {}),
    ...(settings.listPreview ? { listPreview: true } : {}),
  };
}

/** A display name cut to this many characters (the navigation shows a few dozen). */
export const appearanceLimits = { displayNameChars: 64 } as const;

const HEX_COLOUR = /^#[0-9a-f]{6}$/;

/** The display name trimmed and cut; a colour that is not `#rrggbb` becomes the automatic one. */
export function normalizeAppearance(appearance: AccountAppearance): AccountAppearance {
  const colour = appearance.colour?.toLowerCase() ?? null;
  return {
    displayName: [...appearance.displayName.trim()].slice(0, appearanceLimits.displayNameChars).join(''),
    colour: colour !== null && HEX_COLOUR.test(colour) ? colour : null,
  };
}

/** The background download's limits, in one place. */
export const downloadLimits = {
  /**
   * Messages per fetchEach: at most this many RETRs are queued or in flight at a time, so a message
   * the user opens (the urgent lane) waits behind at most this many, and the writes of one batch are
   * awaited before the next (memory stays at two batches). 16 × 50 KB is 800 KB ahead of a click.
   */
  batch: 16,
  /** Room kept free in the origin's quota beyond the batch about to be downloaded. */
  quotaMarginBytes: 1_048_576,
} as const;

/**
 * A listing's writes to the store, in one place. Each slice is one transaction in a task of its own
 * (`nextTask` between them, next-task.ts): IndexedDB clones every record put on the calling thread,
 * so one transaction for a whole listing holds the page's main thread while the list is being used.
 */
export const listingWriteLimits = {
  /**
   * Records `recordListing` writes per transaction: every put of a first listing of 10,000 in one
   * transaction held Chromium's main thread for 1.8 s (a CPU profile, load about 1).
   */
  records: 200,
  /**
   * Listed messages `recordListing` works out the change of in one task before it writes: all 10,000
   * in one task were 36 ms of the 115 ms task at the list's end (search-page bench, quiet machine).
   */
  changesPerTask: 2_000,
  /**
   * Header summaries the header cache writes per `putHeaders` after a listing. Kept at 500: in a
   * Chromium trace of the 3 s after a 1,000-message list (store bench, load 14–24) the longest
   * main-thread task ran 10.0 ms of thread time at 500 and 9.3 ms at 200 (79–83 ms wall, the
   * machine's load): each put's request answers in a task of its own, so a slice is not one task.
   */
  headers: 500,
  /**
   * A slice's records are read with one getAll of the key range from its first UIDL to its last when
   * that range holds at most this many times the slice's records (a listing's UIDLs mostly sort in
   * the listing's order: Dovecot's start with the UID in hex), else with a get each. The range read is
   * two requests a slice instead of one a record, each a round trip to the browser process.
   */
  rangeReadSpread: 2,
  /**
   * Puts (or deletes) issued in one task inside a slice's transaction (`inTasks`): each put clones its
   * record on the main thread, and a slice's 500 at once were tasks of 330–510 ms after a
   * 10,000-message list (profile/big-list.ts, load 23–32).
   */
  writesPerTask: 50,
} as const;

/** Whole-account reads of the records, in pages: a transaction each, in a task of its own. */
export const storeReadLimits = {
  /**
   * An export's pass, keeping of each record only its UIDL and arrival (about 60 bytes); each message
   * is read again with its record when it is written out. Reading every record first (about 1 KB each
   * with its headers) held 10 MB at 10,000 and grew the page's heap peak by 41 MiB over the export
   * (store bench, load 16–24).
   */
  exportRecords: 500,
  /**
   * Every other whole-account read on the page's main thread (`usage()`, the listing's first read, the
   * header cache's `retain`): all 10,000 records in one read held it for 98–115 ms each (structured-clone
   * reads; `pnpm bench search-page`, load 16–29), the longest tasks left while the search worker indexed.
   */
  records: 1_000,
} as const;
