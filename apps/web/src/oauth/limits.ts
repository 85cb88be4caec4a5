/** The OAuth client's limits, in one place. */
export const oauthLimits = {
  /** An access token with less than this left is refreshed (before a login, and by the timer). */
  refreshBeforeExpiryMs: 60_000,
  /** A return from the provider later than this after the start is not completed (10 minutes). */
  pendingMaxAgeMs: 10 * 60_000,
  /** setTimeout's largest delay (about 24.8 days); a longer wait is cut to it and re-checked. */
  maxTimerMs: 2 ** 31 - 1,
} as const;

/** The sessionStorage key of the authorization in progress. */
export const PENDING_KEY = 'webpop.oauth.pending';
