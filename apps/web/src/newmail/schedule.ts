import { newMailLimits } from './limits.js';

/**
 * The new-mail check of one account as a state machine, without timers (check-scheduler.ts runs it):
 *
 *   off ──start──► waiting ──due, ready──► checking ──ok──► waiting (the interval, backoff reset)
 *                   ▲  │ due, busy: waiting a little      │ refused [LOGIN-DELAY]/[IN-USE]:
 *                   │  └──────────────┘                   │   waiting twice as long (capped)
 *                   └─────────────────────────────────────┘ failed (anything else), or closed: off
 *
 * `stop` from any state is off. A check is never started from `checking`, so two never overlap.
 * `now` ("Check now") checks at once from off or waiting, ready, unless the server said "later"
 * (a refusal's backoff stands); after it, checks go on only when they are `periodic` ("Check for
 * new mail" on), else the machine is off again.
 */

/** The server's refusals that say "later": the check backs off instead of giving up. */
export type CheckRefusal = 'LOGIN-DELAY' | 'IN-USE';

export type CheckOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'refused'; readonly code: CheckRefusal }
  /** Anything else (a wrong password, the bridge gone): checks stop until the session is open again. */
  | { readonly kind: 'failed' };

/** Whether a check may start now: `busy` waits a little; `closed` (locked, signed out, broken): off. */
export type Readiness = 'ready' | 'busy' | 'closed';

export type ScheduleState =
  | { readonly kind: 'off' }
  /** `backoff`: how many refusals in a row (0: none); `dueAt` in the clock's milliseconds. */
  | {
      readonly kind: 'waiting';
      readonly dueAt: number;
      readonly backoff: number;
      readonly refused?: CheckRefusal;
    }
  | { readonly kind: 'checking'; readonly backoff: number };

export interface ScheduleConfig {
  /** "Minutes" of the account's settings. */
  readonly minutes: number;
  /** The server's CAPA LOGIN-DELAY, when it names one. */
  readonly loginDelaySeconds: number | undefined;
  /** "Check for new mail" is on: after a check the next one is due (absent: on). */
  readonly periodic?: boolean;
}

export type ScheduleEvent =
  | { readonly type: 'start' }
  | { readonly type: 'configure' }
  | { readonly type: 'due'; readonly readiness: Readiness }
  | { readonly type: 'now'; readonly readiness: Readiness }
  | { readonly type: 'finished'; readonly outcome: CheckOutcome }
  | { readonly type: 'stop' };

export const off: ScheduleState = { kind: 'off' };

/** The time between checks: the user's minutes, never less than the server's LOGIN-DELAY. */
export function intervalMs({ minutes, loginDelaySeconds }: ScheduleConfig): number {
  return Math.max(minutes * 60_000, (loginDelaySeconds ?? 0) * 1000);
}

/** The wait after `backoff` refusals in a row: the interval doubled each time, up to the cap. */
export function waitMs(config: ScheduleConfig, backoff: number): number {
  const interval = intervalMs(config);
  if (backoff === 0) return interval;
  const cap = Math.max(newMailLimits.backoffCapMs, interval);
  return Math.min(cap, interval * 2 ** Math.min(backoff, 30));
}

export function nextSchedule(
  state: ScheduleState,
  event: ScheduleEvent,
  config: ScheduleConfig,
  now: number,
): ScheduleState {
  switch (event.type) {
    case 'stop':
      return off;
    case 'start':
      // A session just opened (a sign-in, a Refresh, a check): a login succeeded, so backoff resets.
      return state.kind === 'checking'
        ? state
        : { kind: 'waiting', dueAt: now + waitMs(config, 0), backoff: 0 };
    case 'configure':
      if (state.kind !== 'waiting') return state;
      return { ...state, dueAt: now + waitMs(config, state.backoff) };
    case 'due':
      if (state.kind !== 'waiting') return state;
      if (event.readiness === 'closed') return off;
      if (event.readiness === 'busy') return { ...state, dueAt: now + newMailLimits.busyRetryMs };
      return { kind: 'checking', backoff: state.backoff };
    case 'now':
      if (state.kind === 'checking' || event.readiness !== 'ready') return state;
      if (state.kind === 'waiting' && state.backoff > 0) return state;
      return { kind: 'checking', backoff: 0 };
    case 'finished': {
      if (state.kind !== 'checking') return state;
      const { outcome } = event;
      if (outcome.kind === 'ok' && config.periodic === false) return off;
      if (outcome.kind === 'ok') return { kind: 'waiting', dueAt: now + waitMs(config, 0), backoff: 0 };
      if (outcome.kind === 'failed') return off;
      const backoff = state.backoff + 1;
      return { kind: 'waiting', dueAt: now + waitMs(config, backoff), backoff, refused: outcome.code };
    }
  }
}
