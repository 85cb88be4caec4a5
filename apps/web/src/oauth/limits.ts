/** The OAuth client's limits, in one place. */
export const oauthLimits = {
  /** An access token with less than this left is refreshed (before a login, and by the timer). */
  refreshBeforeExpiryMs: 60_000,
  /** A return from the provider later than this after the start is not completed (10 minutes). */
  pendingMaxAgeMs: 10 * 60_000,
  /** setTimeout's largest delay (about 24.8 days); a longer wait is cut to it and re-checked. */
  maxTimerMs: 2 ** 31 - 1,
  /**
   * The popup waits this long for the opener's claim of its return before saying no tab waits for it.
   * The opener claims in the task the message arrives in; the rest is the popup's own start (the app
   * shell loading in a new process), which under a load of 20 on 2 cores can take seconds.
   */
  handoverTimeoutMs: 10_000,
  /** A handed-over return longer than this is not read (a code, state and iss are a few hundred). */
  returnMaxChars: 16_384,
} as const;

/** The sessionStorage key of the authorization in progress. */
export const PENDING_KEY = 'webpop.oauth.pending';
