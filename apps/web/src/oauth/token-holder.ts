import { oauthLimits } from './limits.js';
import { OAuthError, type OAuthTokens } from './types.js';

export interface TokenHolderOptions {
  readonly now: () => number;
  /** The refresh grant (flow.ts's refreshTokens for the account's provider). */
  readonly refresh: (refreshToken: string) => Promise<OAuthTokens>;
  /** A refresh succeeded (for the protocol log: never the token). */
  readonly onRefreshed?: () => void;
  /** The tokens cannot be renewed (no refresh token, or it was refused): ask for consent again. */
  readonly onLost: (error: OAuthError) => void;
}

/**
 * `held`: a usable access token; `refreshing`: the refresh grant is running; `lost`: it could not be
 * renewed (onLost was called); `forgotten`: Sign out, the idle lock or a new sign-in dropped it.
 */
export type TokenHolderState = 'held' | 'refreshing' | 'lost' | 'forgotten';

/**
 * One account session's OAuth tokens, in memory only (the runtime's credentials hold it where a
 * password would be). The access token is refreshed when less than `refreshBeforeExpiryMs` is left:
 * by a timer set for that moment, and before every login (a background tab's timer may run late).
 */
export class TokenHolder {
  private tokens: OAuthTokens | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<string> | undefined;
  private current: TokenHolderState = 'held';

  constructor(
    tokens: OAuthTokens,
    private readonly options: TokenHolderOptions,
  ) {
    this.tokens = tokens;
    this.schedule();
  }

  get state(): TokenHolderState {
    return this.current;
  }

  /** An access token with more than `refreshBeforeExpiryMs` left, refreshed first when needed. */
  async accessToken(): Promise<string> {
    if (this.refreshing) return this.refreshing;
    const tokens = this.tokens;
    if (!tokens) throw new OAuthError('refresh', 'the sign-in with the provider has ended');
    if (!this.due(tokens)) return tokens.accessToken;
    return this.renew();
  }

  /** Drops the tokens and the timer (a refresh under way is discarded when it answers). */
  forget(): void {
    this.clearTimer();
    this.tokens = undefined;
    this.refreshing = undefined;
    this.current = 'forgotten';
  }

  private due(tokens: OAuthTokens): boolean {
    return (
      tokens.expiresAt !== undefined &&
      tokens.expiresAt - this.options.now() <= oauthLimits.refreshBeforeExpiryMs
    );
  }

  private renew(): Promise<string> {
    const refreshToken = this.tokens?.refreshToken;
    this.clearTimer();
    if (refreshToken === undefined) {
      const error = new OAuthError(
        'refresh',
        'the access token expires and the provider gave no refresh token',
      );
      this.lose(error);
      return Promise.reject(error);
    }
    this.current = 'refreshing';
    const refreshing = this.options.refresh(refreshToken).then(
      (tokens) => {
        if (this.refreshing !== refreshing)
          throw new OAuthError('refresh', 'the sign-in with the provider has ended');
        this.refreshing = undefined;
        this.tokens = tokens;
        this.current = 'held';
        this.schedule();
        this.options.onRefreshed?.();
        return tokens.accessToken;
      },
      (error: unknown) => {
        if (this.refreshing !== refreshing) throw error;
        this.refreshing = undefined;
        const lost =
          error instanceof OAuthError ? error : new OAuthError('refresh', String(error), { cause: error });
        this.lose(lost);
        throw lost;
      },
    );
    this.refreshing = refreshing;
    return refreshing;
  }

  private lose(error: OAuthError): void {
    this.tokens = undefined;
    this.current = 'lost';
    this.options.onLost(error);
  }

  /** Wakes when the token falls due (at once when it already has); none without an expiry. */
  private schedule(): void {
    this.clearTimer();
    const expiresAt = this.tokens?.expiresAt;
    if (expiresAt === undefined) return;
    const wait = expiresAt - oauthLimits.refreshBeforeExpiryMs - this.options.now();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        const tokens = this.tokens;
        if (!tokens || this.refreshing) return;
        if (this.due(tokens)) void this.renew().catch(() => undefined);
        else this.schedule();
      },
      Math.min(Math.max(0, wait), oauthLimits.maxTimerMs),
    );
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
