import { formatBytes } from './format.js';
import type { Output } from './io.js';
import { limits } from './limits.js';

/**
 * Progress of a download on stderr: a bar redrawn in place on a terminal (messages done/total, bytes,
 * the rate and the time left, the current message's %), one plain line per message otherwise.
 */
export class FetchProgress {
  private messagesDone = 0;
  private bytesDone = 0;
  private current: { number: number; received: number; total: number | undefined } | undefined;
  private lastDraw = 0;
  private drawn = false;
  private readonly rate: TransferRate;

  constructor(
    private readonly out: Output,
    private readonly tty: boolean,
    private readonly totalMessages: number,
    private readonly totalBytes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rate = new TransferRate(now);
  }

  /** Body bytes of message `number` received so far. */
  transfer(number: number, received: number, total: number | undefined): void {
    this.current = { number, received, total };
    if (this.tty) this.draw(false);
  }

  /** A message was saved (and verified). */
  saved(number: number, file: string, size: number): void {
    this.done(size, `saved {n}: message ${number} → ${file} (${formatBytes(size)})`);
  }

  /** A message downloaded again to compare was identical to the file an earlier run saved. */
  rechecked(number: number, file: string, size: number): void {
    this.done(size, `checked {n}: message ${number} is identical to ${file}`);
  }

  /** `{n}` in the plain line becomes done/total. */
  private done(size: number, plainLine: string): void {
    this.messagesDone++;
    this.bytesDone += size;
    this.current = undefined;
    if (this.tty) this.draw(true);
    else this.line(plainLine.replace('{n}', `${this.messagesDone}/${this.totalMessages}`));
  }

  /** A message could not be saved; the others go on. */
  failed(number: number, reason: string): void {
    this.current = undefined;
    this.line(`message ${number} not saved: ${reason}`);
    if (this.tty) this.draw(true);
  }

  /** Any other line to show without garbling the bar. */
  line(text: string): void {
    if (this.tty) this.clear();
    this.out.write(`${text}\n`);
  }

  /** Removes the bar (call before printing the summary). */
  finish(): void {
    if (this.tty) this.clear();
  }

  private clear(): void {
    if (!this.drawn) return;
    this.out.write('\r\u001b[2K');
    this.drawn = false;
  }

  private draw(force: boolean): void {
    const now = this.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const received = this.current?.received ?? 0;
    const bytes = this.bytesDone + received;
    this.rate.sample(bytes);
    const fraction =
      this.totalBytes > 0
        ? Math.min(1, bytes / this.totalBytes)
        : this.totalMessages > 0
          ? this.messagesDone / this.totalMessages
          : 1;
    const barWidth = 24;
    const filled = Math.round(fraction * barWidth);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
    let text = `${bar} ${this.messagesDone}/${this.totalMessages} messages  ${formatBytes(bytes)}/${formatBytes(this.totalBytes)}`;
    const perSecond = this.rate.bytesPerSecond();
    if (perSecond !== undefined) {
      text += `  ${formatBytes(Math.round(perSecond))}/s`;
      const left = Math.max(0, this.totalBytes - bytes);
      if (left > 0) text += `  ${formatDuration(left / perSecond)} left`;
    }
    if (this.current) {
      const { number, total } = this.current;
      const percent = total
        ? `${Math.min(100, Math.floor((received / total) * 100))}%`
        : formatBytes(received);
      text += `  message ${number}: ${percent}`;
    }
    const columns = this.out.columns;
    if (columns && text.length >= columns) text = text.slice(0, columns - 1);
    this.out.write(`\r\u001b[2K${text}`);
    this.drawn = true;
  }
}

/**
 * Bytes per second over the last `limits.progressRateWindowMs` (a moving window, so a stall or a
 * faster stretch shows within seconds); unknown until `limits.progressRateAfterMs` have passed
 * since the first sample, so that a run of a few milliseconds shows no made-up rate.
 */
export class TransferRate {
  private readonly samples: Array<{ at: number; bytes: number }> = [];

  constructor(private readonly now: () => number) {}

  sample(bytes: number): void {
    const at = this.now();
    this.samples.push({ at, bytes });
    // Keep one sample older than the window, as its starting point.
    while (this.samples.length > 2 && at - this.samples[1]!.at >= limits.progressRateWindowMs)
      this.samples.shift();
  }

  bytesPerSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last) return undefined;
    const elapsed = last.at - first.at;
    if (elapsed < limits.progressRateAfterMs) return undefined;
    return ((last.bytes - first.bytes) * 1000) / elapsed;
  }
}

/** `45 s`, `3 min 20 s`, `2 h 05 min`; `over 99 h` (a stalled link); `0 s` never shows a negative time. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds >= 99 * 3600) return 'over 99 h';
  const whole = Math.max(0, Math.ceil(seconds));
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
