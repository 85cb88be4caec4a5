import type { UiLogEntry } from '../session/types.js';
import type { Runtime, Slice } from './app-state.js';
import { LogLines, LogRing } from './log-lines.js';

export { LogLines, MAX_LOG_LINES, type LogLine } from './log-lines.js';

export interface LogSlice {
  /**
   * The last MAX_LOG_LINES lines of the POP3 dialogue and the app's notes, secrets redacted. Published
   * while the log panel (and the command line in it) is open, and at its opening; while it is closed
   * the lines collect outside the state (`LogBuffer`) and this is the log as it was at the closing.
   */
  readonly log: LogLines;
  /** Lines dropped from the start of the log (as `log.dropped`). */
  readonly logDropped: number;
  readonly logOpen: boolean;
  readonly actions: {
    toggleLog(open?: boolean): void;
    clearLog(): void;
  };
}

/** The state of a log of `lines`. */
export function logState(lines: LogLines): Pick<LogSlice, 'log' | 'logDropped'> {
  return { log: lines, logDropped: lines.dropped };
}

export function createLogSlice(runtime: Runtime): Slice<LogSlice> {
  return (set, get) => ({
    ...logState(LogLines.empty),
    logOpen: false,
    actions: {
      toggleLog(open) {
        const next = open ?? !get().logOpen;
        runtime.log.watch(next);
        set({ logOpen: next, ...logState(runtime.log.lines()) });
      },

      clearLog() {
        runtime.log.clear();
        set(logState(LogLines.empty));
      },
    },
  });
}

/**
 * The log's lines, kept outside the state (a `LogRing`: a line costs the same however long the log),
 * and published into it in one store change per `flushMs` while someone watches (the panel is open):
 * a listing logs a few lines per message, and a change per line would be thousands of changes. While
 * nobody watches, a line makes no store change and starts no timer.
 */
export class LogBuffer {
  private lastId = 0;
  private readonly ring = new LogRing();
  private watched = false;
  private unpublished = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flushMs: number,
    private readonly publish: (lines: LogLines) => void,
  ) {}

  push(entry: UiLogEntry): void {
    this.ring.push({ id: ++this.lastId, direction: entry.direction, text: entry.text });
    this.unpublished = true;
    if (this.watched) this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** The panel opened (`true`) or closed: whether lines are published each `flushMs`. */
  watch(watched: boolean): void {
    this.watched = watched;
    if (!watched) this.stopTimer();
  }

  /** Publishes what arrived since the last flush, when someone watches. */
  flush(): void {
    this.stopTimer();
    if (!this.watched || !this.unpublished) return;
    this.unpublished = false;
    this.publish(this.ring.view());
  }

  /** The lines as they are now, published or not (the caller puts them into the state). */
  lines(): LogLines {
    this.stopTimer();
    this.unpublished = false;
    return this.ring.view();
  }

  /** Empties the log (the caller puts the empty log into the state); ids go on from the last. */
  clear(): void {
    this.stopTimer();
    this.ring.clear();
    this.unpublished = false;
  }

  dispose(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
