import {
  nextSchedule,
  off,
  type CheckOutcome,
  type Readiness,
  type ScheduleConfig,
  type ScheduleEvent,
  type ScheduleState,
} from './schedule.js';

/** What the scheduler needs of one account: whether it may check now, and the check itself. */
export interface CheckTarget {
  readiness(): Readiness;
  config(): ScheduleConfig;
  /** Runs one check (Refresh's UIDL diff); never rejects. */
  check(): Promise<CheckOutcome>;
}

export interface SchedulerOptions {
  readonly now?: () => number;
  /** Every state it enters (for the store and the UI). */
  readonly onChange?: (state: ScheduleState) => void;
}

/**
 * Runs `schedule.ts`'s machine with one timeout: armed in `waiting`, none otherwise. The clock is
 * `now`; a timer a background tab delays only makes the check later.
 */
export class CheckScheduler {
  private current: ScheduleState = off;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly target: CheckTarget,
    private readonly options: SchedulerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  get state(): ScheduleState {
    return this.current;
  }

  /** A session opened: the next check is one interval from now. */
  start(): void {
    this.send({ type: 'start' });
  }

  /** The minutes (or the server's LOGIN-DELAY) changed: the wait counts again from now. */
  configure(): void {
    this.send({ type: 'configure' });
  }

  /** "Check now": at once when the account is ready and the server has not said "later". */
  checkNow(): void {
    this.send({ type: 'now', readiness: this.target.readiness() });
  }

  stop(): void {
    this.send({ type: 'stop' });
  }

  private send(event: ScheduleEvent): void {
    const before = this.current;
    this.current = nextSchedule(before, event, this.target.config(), this.now());
    if (this.current === before) return;
    this.arm();
    this.options.onChange?.(this.current);
    if (this.current.kind === 'checking') void this.run();
  }

  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const state = this.current;
    if (state.kind !== 'waiting') return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.send({ type: 'due', readiness: this.target.readiness() });
      },
      Math.max(0, state.dueAt - this.now()),
    );
  }

  private async run(): Promise<void> {
    let outcome: CheckOutcome;
    try {
      outcome = await this.target.check();
    } catch {
      outcome = { kind: 'failed' };
    }
    this.send({ type: 'finished', outcome });
  }
}
