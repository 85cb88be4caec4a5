// The OAuth token holder's timing, on fake timers: the access token is refreshed once less than a
// minute is left (by its timer, and before a login that finds it due), a failed or impossible refresh
// asks for consent once, and forget() stops everything.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { oauthLimits } from '../src/oauth/limits.js';
import { TokenHolder } from '../src/oauth/token-holder.js';
import { OAuthError, type OAuthTokens } from '../src/oauth/types.js';

const SECOND = 1000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date('2026-12-01T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

/** Tokens issued now, living `lifetimeMs` (undefined: the provider did not say); `refresh: null`: none. */
function tokens(name: string, lifetimeMs: number | undefined, refresh: string | null = `r-${name}`) {
  return {
    accessToken: name,
    refreshToken: refresh ?? undefined,
    expiresAt: lifetimeMs === undefined ? undefined : Date.now() + lifetimeMs,
  } satisfies OAuthTokens;
}

/** The token endpoint's answer, issued when the refresh asks for it. */
const issued = (name: string, lifetimeMs: number, refresh?: string) => () =>
  tokens(name, lifetimeMs, refresh);

function holder(first: OAuthTokens, answers: Array<(() => OAuthTokens) | Error>) {
  const refreshedWith: string[] = [];
  const lost: OAuthError[] = [];
  let refreshed = 0;
  const holder = new TokenHolder(first, {
    now: Date.now,
    refresh: async (refreshToken) => {
      refreshedWith.push(refreshToken);
      const answer = answers.shift();
      if (!answer) throw new Error('no answer left');
      if (answer instanceof Error) throw answer;
      return answer();
    },
    onRefreshed: () => refreshed++,
    onLost: (error) => lost.push(error),
  });
  return { holder, refreshedWith, lost, refreshed: () => refreshed };
}

describe('the OAuth token holder', () => {
  it('refreshes by its timer exactly when a minute is left (not a millisecond before), and again for each new token', async () => {
    const {
      holder: held,
      refreshedWith,
      refreshed,
    } = holder(tokens('a1', 5 * 60 * SECOND), [issued('a2', 3 * 60 * SECOND), issued('a3', 3 * 60 * SECOND)]);
    await vi.advanceTimersByTimeAsync(4 * 60 * SECOND - 1);
    expect(refreshedWith).toEqual([]);
    expect(await held.accessToken()).toBe('a1');
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshedWith).toEqual(['r-a1']);
    expect(refreshed()).toBe(1);
    expect(await held.accessToken()).toBe('a2');
    await vi.advanceTimersByTimeAsync(2 * 60 * SECOND - 1);
    expect(refreshedWith).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshedWith).toEqual(['r-a1', 'r-a2']);
    expect(await held.accessToken()).toBe('a3');
    expect(held.state).toBe('held');
  });

  it('refreshes before a login that finds less than a minute left (a late timer), once for callers together', async () => {
    const { holder: held, refreshedWith } = holder(tokens('a1', oauthLimits.refreshBeforeExpiryMs - 1), [
      issued('a2', 10 * 60 * SECOND),
    ]);
    const [first, second] = await Promise.all([held.accessToken(), held.accessToken()]);
    expect([first, second]).toEqual(['a2', 'a2']);
    expect(refreshedWith).toEqual(['r-a1']);
    // The timer found nothing left to do.
    await vi.advanceTimersByTimeAsync(SECOND);
    expect(refreshedWith).toEqual(['r-a1']);
  });

  it('keeps the refresh token when the provider does not rotate it', async () => {
    const { holder: held, refreshedWith } = holder(tokens('a1', 61 * SECOND), [
      issued('a2', 61 * SECOND, 'r-a1'),
      issued('a3', 10 * 60 * SECOND),
    ]);
    await vi.advanceTimersByTimeAsync(SECOND);
    await vi.advanceTimersByTimeAsync(61 * SECOND);
    expect(refreshedWith).toEqual(['r-a1', 'r-a1']);
    expect(await held.accessToken()).toBe('a3');
  });

  it('asks for consent once when the refresh is refused, and has no token after', async () => {
    const refused = new OAuthError('refresh', 'invalid_grant');
    const { holder: held, lost } = holder(tokens('a1', 2 * 60 * SECOND), [refused]);
    await vi.advanceTimersByTimeAsync(60 * SECOND);
    expect(lost).toEqual([refused]);
    expect(held.state).toBe('lost');
    await expect(held.accessToken()).rejects.toMatchObject({ kind: 'refresh' });
    await vi.advanceTimersByTimeAsync(10 * 60 * SECOND);
    expect(lost).toHaveLength(1);
  });

  it('asks for consent when the token falls due and there is no refresh token', async () => {
    const { holder: held, refreshedWith, lost } = holder(tokens('a1', 90 * SECOND, null), []);
    await vi.advanceTimersByTimeAsync(30 * SECOND - 1);
    expect(lost).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshedWith).toEqual([]);
    expect(lost.map((error) => error.kind)).toEqual(['refresh']);
    expect(held.state).toBe('lost');
  });

  it('never refreshes a token without an expiry', async () => {
    const { holder: held, refreshedWith } = holder(tokens('a1', undefined), []);
    await vi.advanceTimersByTimeAsync(30 * 24 * 3600 * SECOND);
    expect(refreshedWith).toEqual([]);
    expect(await held.accessToken()).toBe('a1');
  });

  it('forget() stops the timer, drops the token and discards a refresh that answers later', async () => {
    let answer: (tokens: OAuthTokens) => void = () => undefined;
    const lost: OAuthError[] = [];
    const held = new TokenHolder(tokens('a1', 61 * SECOND), {
      now: Date.now,
      refresh: () => new Promise((resolve) => (answer = resolve)),
      onLost: (error) => lost.push(error),
    });
    await vi.advanceTimersByTimeAsync(SECOND);
    expect(held.state).toBe('refreshing');
    held.forget();
    answer(tokens('a2', 10 * 60 * SECOND));
    await vi.advanceTimersByTimeAsync(20 * 60 * SECOND);
    expect(held.state).toBe('forgotten');
    await expect(held.accessToken()).rejects.toMatchObject({ kind: 'refresh' });
    expect(lost).toEqual([]);

    const quiet = holder(tokens('b1', 5 * 60 * SECOND), [issued('b2', 5 * 60 * SECOND)]);
    quiet.holder.forget();
    await vi.advanceTimersByTimeAsync(10 * 60 * SECOND);
    expect(quiet.refreshedWith).toEqual([]);
  });
});
