/** The new-mail check's limits, in one place. */
export const newMailLimits = {
  /** "Check for new mail" every this many minutes unless the user chooses otherwise. */
  defaultMinutes: 5,
  minMinutes: 1,
  /** A day: beyond it a check is no longer "new mail". */
  maxMinutes: 1440,
  /**
   * A check that falls due while the account is busy (a refresh, the listing, the background
   * download, a message being opened, deletions marked) is tried again this much later.
   */
  busyRetryMs: 15_000,
  /** Doubling after `[LOGIN-DELAY]` / `[IN-USE]` stops here (or at the interval, if that is longer). */
  backoffCapMs: 60 * 60_000,
  /** More new messages than this in one check make one notification ("5 new messages"). */
  notifyEach: 3,
  /** Notifications shown through the service worker whose click the page still remembers (oldest dropped). */
  pendingClicks: 50,
  /** How long the service worker waits for the open windows to say whose notification was clicked. */
  ownerReplyMs: 1000,
} as const;
