import type { StoreApi } from 'zustand/vanilla';
import type { AppState, Runtime, Slice } from '../store/app-state.js';
import type { NewMailAccount } from './account-target.js';
import { CheckScheduler } from './check-scheduler.js';
import { newMailNotes, type Notifier, type NotifyPermission } from './notifications.js';
import type { ScheduleState } from './schedule.js';
import type { NewMailSettings } from './settings.js';

export interface NewMailState {
  /** Each account's check by account key (absent: never started since the page opened). */
  readonly checks: Readonly<Record<string, ScheduleState>>;
  /** The browser's permission for desktop notifications, as last read. */
  readonly permission: NotifyPermission;
}

export interface NewMailSlice {
  readonly newMail: NewMailState;
  readonly actions: {
    /**
     * The "Notify me of new mail" checkbox was ticked: asks the browser (call it in the click
     * handler: a request without a user gesture is ignored or blocked).
     */
    askNotifyPermission(): Promise<NotifyPermission>;
    /**
     * "Check now": the account's check at once (Refresh's UIDL diff, quiet when nothing is new, its
     * notifications as a timed check's); the next timed one counts from it. Nothing while a check runs,
     * the session is busy or closed, or the server said "later" ([LOGIN-DELAY]/[IN-USE]: the backoff stands).
     */
    checkNow(): void;
  };
}

export function createNewMailSlice(runtime: Runtime): Slice<NewMailSlice> {
  return (set, get) => ({
    newMail: { checks: {}, permission: runtime.deps.notifier?.permission() ?? 'unsupported' },
    actions: {
      async askNotifyPermission() {
        const notifier = runtime.deps.notifier;
        const permission = notifier
          ? await notifier.requestPermission().catch(() => 'denied' as const)
          : 'unsupported';
        set({ newMail: { ...get().newMail, permission } });
        return permission;
      },

      checkNow() {
        runtime.newMail?.checkNow();
      },
    },
  });
}

/** One account's check as its runtime holds it. */
export interface NewMailWatch {
  stop(): void;
  checkNow(): void;
}

/** The session kinds in which no account of this store is checked (the lock and Sign out among them). */
const stoppedKinds: ReadonlySet<AppState['session']['kind']> = new Set([
  'signedOut',
  'signingIn',
  'signInFailed',
  'locked',
  'offline',
]);

function sameSchedule(a: NewMailSettings, b: NewMailSettings): boolean {
  return a.check === b.check && a.minutes === b.minutes;
}

/**
 * Runs one account's check against the store: started when a session of it opens (sign-in, unlock,
 * Refresh, Reconnect, its own check) with "Check for new mail" on, its wait counted again when the
 * minutes change, stopped by the lock, Sign out or the box unticked. It drives the store through its
 * actions, as a component does. Returns its stop.
 */
export function watchNewMail(
  api: StoreApi<AppState>,
  account: NewMailAccount,
  notifier: Notifier | undefined,
  now: () => number = Date.now,
): NewMailWatch {
  const record = (state: ScheduleState) => {
    const key = account.key();
    if (key === undefined) return;
    const { newMail } = api.getState();
    api.setState({ newMail: { ...newMail, checks: { ...newMail.checks, [key]: state } } });
  };
  const scheduler = new CheckScheduler(
    {
      readiness: () => account.readiness(),
      config: () => ({
        minutes: account.settings().minutes,
        loginDelaySeconds: account.loginDelaySeconds(),
        periodic: account.settings().check,
      }),
      async check() {
        const { outcome, added } = await account.check();
        announce(api.getState(), account, added, notifier);
        return outcome;
      },
    },
    { now, onChange: record },
  );
  // Read at the first change: the store is still being made when this is called.
  let settings: NewMailSettings | undefined;
  const unsubscribe = api.subscribe((state, previous) => {
    const kind = state.session.kind;
    if (stoppedKinds.has(kind)) {
      scheduler.stop();
      return;
    }
    const next = account.settings();
    const changed = settings !== undefined && !sameSchedule(settings, next);
    settings = next;
    if (!next.check) return scheduler.stop();
    const opened = kind === 'open' && previous.session.kind !== 'open';
    if (opened || (changed && scheduler.state.kind === 'off' && kind === 'open')) scheduler.start();
    else if (changed) scheduler.configure();
  });
  return {
    stop() {
      unsubscribe();
      scheduler.stop();
    },
    checkNow() {
      if (!stoppedKinds.has(api.getState().session.kind)) scheduler.checkNow();
    },
  };
}

/** Desktop notifications for a check's new messages: opted in, granted, and the user not looking. */
function announce(
  state: AppState,
  account: NewMailAccount,
  added: Parameters<typeof newMailNotes>[0],
  notifier: Notifier | undefined,
): void {
  const key = account.key();
  if (!notifier || key === undefined || added.length === 0 || !account.settings().notify) return;
  if (notifier.permission() !== 'granted' || notifier.watching()) return;
  for (const note of newMailNotes(added, { key, label: account.label() }, state.settings.language)) {
    notifier.show(note, () => account.open(note.uid));
  }
}
