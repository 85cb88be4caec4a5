import { oauthLimits, PENDING_KEY } from './limits.js';
import type { PendingAuthorization } from './types.js';

/** What of Storage the pending authorization needs (sessionStorage in the page). */
export type PendingStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Keeps the verifier and state for the return from the provider (this tab only, never localStorage). */
export function savePending(storage: PendingStorage, pending: PendingAuthorization): void {
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
}

/**
 * The authorization in progress, removed as it is read (one return completes it, or none does);
 * undefined when there is none, it is malformed, or older than `pendingMaxAgeMs`.
 */
export function takePending(storage: PendingStorage, now: number): PendingAuthorization | undefined {
  const text = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPending(value)) return undefined;
  const age = now - value.startedAt;
  return age >= 0 && age <= oauthLimits.pendingMaxAgeMs ? value : undefined;
}

function isPending(value: unknown): value is PendingAuthorization {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    ['state', 'codeVerifier', 'redirectUri', 'serverId', 'username'].every(
      (key) => typeof v[key] === 'string',
    ) &&
    typeof v.sharedComputer === 'boolean' &&
    typeof v.startedAt === 'number'
  );
}

/** The parameters of a return from the provider in `url` (code or error, with state), or undefined. */
export function callbackParameters(url: URL): URLSearchParams | undefined {
  const { searchParams } = url;
  return searchParams.has('state') && (searchParams.has('code') || searchParams.has('error'))
    ? new URLSearchParams(searchParams)
    : undefined;
}

/**
 * Whether this tab itself sent the browser to the provider (the redirect flow: its pending
 * authorization in sessionStorage carries the return's state), read without removing it. Otherwise a
 * return is a popup's, to be handed over to the tab that opened it.
 */
export function isOwnReturn(storage: PendingStorage, parameters: URLSearchParams): boolean {
  const text = storage.getItem(PENDING_KEY);
  if (text === null) return false;
  try {
    const value: unknown = JSON.parse(text);
    return isPending(value) && value.state === parameters.get('state');
  } catch {
    return false;
  }
}
