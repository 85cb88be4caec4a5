import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckScheduler, type CheckTarget } from '../src/newmail/check-scheduler.js';
import { newMailLimits } from '../src/newmail/limits.js';
import { intervalMs, waitMs, type CheckOutcome, type Readiness } from '../src/newmail/schedule.js';

const MINUTE = 60_000;

/** An account whose answers the test sets: readiness, the server's LOGIN-DELAY, each check's outcome. */
class TestAccount implements CheckTarget {
  minutes = 5;
  loginDelaySeconds: number | undefined = undefined;
  periodic = true;
  ready: Readiness = 'ready';
  outcomes: CheckOutcome[] = [];
  /** When each check started (fake clock), and how many ran at once at most. */
  readonly started: number[] = [];
  running = 0;
  maxRunning = 0;
  /** Set to hold each check until released. */
  hold: Promise<void> | undefined;

  readiness(): Readiness {
    return this.ready;
  }
  config() {
    return { minutes: this.minutes, loginDelaySeconds: this.loginDelaySeconds, periodic: this.periodic };
  }
  async check(): Promise<CheckOutcome> {
    this.started.push(Date.now());
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    await this.hold;
    this.running--;
    return this.outcomes.shift() ?? { kind: 'ok' };
  }
}

let start = 0;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  start = Date.now();
});
afterEach(() => vi.useRealTimers());

function scheduler(account: TestAccount) {
  const states: string[] = [];
  const it = new CheckScheduler(account, { onChange: (state) => states.push(state.kind) });
  return { scheduler: it, states };
}

/** Minutes since the test began at which each check started. */
const minutesOf = (account: TestAccount) => account.started.map((time) => (time - start) / MINUTE);

describe('the new-mail check schedule', () => {
  it('checks every N minutes from the start, not before', async () => {
    const account = new TestAccount();
    const { scheduler: s } = scheduler(account);
    s.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE - 1);
    expect(account.started).toEqual([]);
    await vi.advanceTimersByTimeAsync(10 * MINUTE + 1);
    expect(minutesOf(account)).toEqual([5, 10, 15]);
    expect(s.state).toMatchObject({ kind: 'waiting', backoff: 0, dueAt: start + 20 * MINUTE });
  });

  it('never checks more often than the server LOGIN-DELAY allows', async () => {
    const account = new TestAccount();
    account.minutes = 1;
    account.loginDelaySeconds = 900;
    expect(intervalMs(account.config())).toBe(15 * MINUTE);
    const { scheduler: s } = scheduler(account);
    s.start();
    await vi.advanceTimersByTimeAsync(31 * MINUTE);
    expect(minutesOf(account)).toEqual([15, 30]);
    // A LOGIN-DELAY shorter than the user's minutes changes nothing.
    account.loginDelaySeconds = 60;
    account.minutes = 10;
    expect(intervalMs(account.config())).toBe(10 * MINUTE);
  });

  for (const code of ['LOGIN-DELAY', 'IN-USE'] as const) {
    it(`backs off on [${code}]: doubling, capped, reset by a check that succeeds`, async () => {
      const account = new TestAccount();
      account.outcomes = Array.from({ length: 6 }, () => ({ kind: 'refused', code }) as const);
      const { scheduler: s } = scheduler(account);
      s.start();
      // 5, then +10, +20, +40, +60 (capped at an hour), +60, then ok: +5.
      await vi.advanceTimersByTimeAsync(5 * MINUTE);
      expect(s.state).toMatchObject({ kind: 'waiting', backoff: 1, refused: code });
      await vi.advanceTimersByTimeAsync(200 * MINUTE);
      expect(minutesOf(account)).toEqual([5, 15, 35, 75, 135, 195]);
      await vi.advanceTimersByTimeAsync(50 * MINUTE);
      expect(minutesOf(account).slice(6)).toEqual([255]);
      expect(s.state).toMatchObject({ kind: 'waiting', backoff: 0, dueAt: start + 260 * MINUTE });
      expect(waitMs({ minutes: 5, loginDelaySeconds: undefined }, 9)).toBe(newMailLimits.backoffCapMs);
    });
  }

  it('a cap below a long interval is the interval: backoff never checks sooner than without it', () => {
    expect(waitMs({ minutes: 120, loginDelaySeconds: undefined }, 1)).toBe(120 * MINUTE);
    expect(waitMs({ minutes: 120, loginDelaySeconds: undefined }, 0)).toBe(120 * MINUTE);
  });

  it('a session opening again (a Refresh, a sign-in) resets the backoff and counts from then', async () => {
    const account = new TestAccount();
    account.outcomes = [{ kind: 'refused', code: 'IN-USE' }];
    const { scheduler: s } = scheduler(account);
    s.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(s.state).toMatchObject({ backoff: 1 });
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    s.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(minutesOf(account)).toEqual([5, 12]);
  });

  it('stops on any other failure until started again', async () => {
    const account = new TestAccount();
    account.outcomes = [{ kind: 'failed' }];
    const { scheduler: s, states } = scheduler(account);
    s.start();
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(minutesOf(account)).toEqual([5]);
    expect(states).toEqual(['waiting', 'checking', 'off']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops (no timer left) when stopped, as the lock and Sign out do, also during a check', async () => {
    const account = new TestAccount();
    const { scheduler: s } = scheduler(account);
    s.start();
    s.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(account.started).toEqual([]);

    let release = () => {};
    account.hold = new Promise((resolve) => (release = resolve));
    s.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(s.state.kind).toBe('checking');
    s.stop();
    release();
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(s.state.kind).toBe('off');
    expect(account.started).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('goes off when the account is closed (locked, signed out, broken) at the time of a check', async () => {
    const account = new TestAccount();
    const { scheduler: s } = scheduler(account);
    s.start();
    account.ready = 'closed';
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(s.state.kind).toBe('off');
    expect(account.started).toEqual([]);
  });

  it('waits while the account is busy, then checks; never two checks at once', async () => {
    const account = new TestAccount();
    const { scheduler: s } = scheduler(account);
    s.start();
    account.ready = 'busy';
    await vi.advanceTimersByTimeAsync(5 * MINUTE + 2 * newMailLimits.busyRetryMs);
    expect(account.started).toEqual([]);
    account.ready = 'ready';
    await vi.advanceTimersByTimeAsync(newMailLimits.busyRetryMs);
    expect((account.started[0]! - start) / 1000).toBe(5 * 60 + (3 * newMailLimits.busyRetryMs) / 1000);

    // A check that takes longer than the interval: the next one waits for it to end.
    let release = () => {};
    account.hold = new Promise((resolve) => (release = resolve));
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(account.started).toHaveLength(2);
    s.start(); // a session opening meanwhile (the check's own) starts nothing beside it
    s.configure();
    await vi.advanceTimersByTimeAsync(20 * MINUTE);
    expect(account.started).toHaveLength(2);
    release();
    account.hold = undefined;
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(account.started).toHaveLength(3);
    expect(account.maxRunning).toBe(1);
  });

  it('counts the wait again when the minutes change', async () => {
    const account = new TestAccount();
    const { scheduler: s } = scheduler(account);
    s.start();
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    account.minutes = 1;
    s.configure();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(minutesOf(account)).toEqual([4]);
  });
});

describe('"Check now"', () => {
  it('checks at once, and the next timed check counts from it', async () => {
    const account = new TestAccount();
    const { scheduler: s } = scheduler(account);
    s.start();
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    s.checkNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(minutesOf(account)).toEqual([2]);
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(minutesOf(account)).toEqual([2, 7]);
  });

  it('never starts a second check beside one running, nor while the account is busy or closed', async () => {
    const account = new TestAccount();
    let release!: () => void;
    account.hold = new Promise((resolve) => (release = resolve));
    const { scheduler: s } = scheduler(account);
    s.start();
    s.checkNow();
    s.checkNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(account.maxRunning).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(account.started).toHaveLength(1);
    for (const ready of ['busy', 'closed'] as const) {
      account.ready = ready;
      s.checkNow();
      await vi.advanceTimersByTimeAsync(0);
      expect(account.started).toHaveLength(1);
      expect(s.state.kind).toBe('waiting');
    }
  });

  it('leaves a server that said "later" alone: the backoff stands', async () => {
    const account = new TestAccount();
    account.outcomes = [{ kind: 'refused', code: 'LOGIN-DELAY' }];
    const { scheduler: s } = scheduler(account);
    s.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(s.state).toMatchObject({ kind: 'waiting', backoff: 1, refused: 'LOGIN-DELAY' });
    s.checkNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(account.started).toHaveLength(1);
  });

  it('with "Check for new mail" off: one check, then off again', async () => {
    const account = new TestAccount();
    account.periodic = false;
    const { scheduler: s, states } = scheduler(account);
    s.checkNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(account.started).toHaveLength(1);
    expect(states).toEqual(['checking', 'off']);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(account.started).toHaveLength(1);
  });
});
