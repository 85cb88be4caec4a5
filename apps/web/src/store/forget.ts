import type { AppState, Runtime, StoreTools } from './app-state.js';
import { LogLines, logState } from './log-slice.js';
import { defaultSettings } from './settings.js';

/**
 * What a sign-out (or the idle lock) keeps in memory: the bridge's server list, the preferences, the
 * accounts remembered on this device and whether the log panel is open. Every other key of every slice
 * goes back to its first value — rows, the open message, the log, a new slice's state too — so a
 * slice whose state must outlive a session is named here, never forgotten by omission the other way.
 */
const KEPT_ON_SIGN_OUT = ['actions', 'session', 'servers', 'settings', 'savedAccounts', 'logOpen'] as const;

/** Every slice's state as the store began, but for what a sign-out keeps. */
export function forgottenState(runtime: Runtime): Partial<AppState> {
  if (!runtime.blank) return {};
  const state: Partial<Record<keyof AppState, unknown>> = { ...runtime.blank };
  for (const key of KEPT_ON_SIGN_OUT) delete state[key];
  return state as Partial<AppState>;
}

/**
 * After the session is over: the log's unshown lines, the marks of an uncommitted QUIT, and for a
 * shared computer what the session changed in the preferences (never written) and what the page left
 * on the device. The sign-in page meanwhile shows nothing of the account.
 */
export async function forgetAfterSession(tools: StoreTools, runtime: Runtime): Promise<void> {
  runtime.log.clear();
  runtime.uncommitted.clear();
  tools.set(logState(LogLines.empty));
  if (!runtime.sharedComputer) return;
  runtime.sharedComputer = false;
  runtime.headerCache = runtime.deviceHeaderCache;
  tools.set({ settings: { ...defaultSettings(), ...runtime.settingsStorage.load() } });
  await runtime.deps.forgetDevice?.().catch(() => undefined);
}
