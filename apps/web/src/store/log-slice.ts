import type { UiLogEntry } from '../session/types.js';
import type { Runtime, Slice } from './app-state.js';

export interface LogLine extends UiLogEntry {
  readonly id: number;
}

export const MAX_LOG_LINES = 5000;

export interface LogSlice {
  /** The last MAX_LOG_LINES lines of the POP3 dialogue and the app's notes, secrets redacted. */
  readonly log: readonly LogLine[];
  /** Lines dropped from the start of the log. */
  readonly logDropped: number;
  readonly logOpen: boolean;
  readonly actions: {
    toggleLog(open?: boolean): void;
    clearLog(): void;
  };
}

export function createLogSlice(runtime: Runtime): Slice<LogSlice> {
  return (set, get) => ({
    log: [],
    logDropped: 0,
    logOpen: false,
    actions: {
      toggleLog(open) {
        runtime.log.flush();
        set({ logOpen: open ?? !get().logOpen });
      },

      clearLog() {
        runtime.log.clear();
        set({ log: [], logDropped: 0 });
      },
    },
  });
}

/**
 * Lines on their way to the log, appended in one store change per `flushMs`: a listing logs a few
 * lines per message, and a change per line would be thousands of changes.
 */
export class LogBuffer {
  private lastId = 0;
  private readonly waiting: LogLine[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flushMs: number,
    private readonly append: (lines: LogLine[]) => void,
  ) {}

  push(entry: UiLogEntry): void {
    this.waiting.push({ id: ++this.lastId, direction: entry.direction, text: entry.text });
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    this.stopTimer();
    if (this.waiting.length > 0) this.append(this.waiting.splice(0));
  }

  clear(): void {
    this.waiting.length = 0;
  }

  dispose(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The log with `lines` appended, keeping the last MAX_LOG_LINES. */
export function appendLog(
  state: Pick<LogSlice, 'log' | 'logDropped'>,
  lines: readonly LogLine[],
): Pick<LogSlice, 'log' | 'logDropped'> {
  const combined = [...state.log, ...lines];
  const dropped = Math.max(0, combined.length - MAX_LOG_LINES);
  return {
    log: dropped > 0 ? combined.slice(dropped) : combined,
    logDropped: state.logDropped + dropped,
  };
}
