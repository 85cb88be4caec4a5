import type { Runtime, StoreTools } from './app-state.js';

/**
 * The idle limit: after the bridge's `session.idleMinutes` without user activity (a key, a click, a
 * touch, the wheel — not the app's own NOOPs), the session slice forgets the password and locks.
 * The clock is the runtime's `now`, the wake-up a timeout; a timer a background tab delays only makes
 * the lock later, and Refresh and Reconnect check the limit themselves before signing in again.
 */

/** The limit in milliseconds; 0: no limit. */
export function idleLimitMs({ get }: StoreTools): number {
  return Math.max(0, get().servers.policy.idleMinutes) * 60_000;
}

export function noteActivity(runtime: Runtime): void {
  runtime.lastActivity = runtime.now();
}

/** Whether the user has been away for longer than the limit (never without one). */
export function idleLimitPassed(tools: StoreTools, runtime: Runtime): boolean {
  const limit = idleLimitMs(tools);
  return limit > 0 && runtime.now() - runtime.lastActivity >= limit;
}

export function stopIdleWatch(runtime: Runtime): void {
  if (runtime.idleTimer !== undefined) clearTimeout(runtime.idleTimer);
  runtime.idleTimer = undefined;
}

/**
 * Watches for the limit from now (a sign-in is activity): `lock` runs once it has passed. Each
 * wake-up sleeps until the limit counted from the latest activity, so activity costs no timer work.
 */
export function startIdleWatch(tools: StoreTools, runtime: Runtime, lock: () => void): void {
  stopIdleWatch(runtime);
  noteActivity(runtime);
  const limit = idleLimitMs(tools);
  if (limit === 0) return;
  const wake = () => {
    runtime.idleTimer = undefined;
    if (idleLimitPassed(tools, runtime)) lock();
    else runtime.idleTimer = setTimeout(wake, runtime.lastActivity + limit - runtime.now());
  };
  runtime.idleTimer = setTimeout(wake, limit);
}
