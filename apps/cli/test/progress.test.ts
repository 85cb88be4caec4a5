import { describe, expect, it } from 'vitest';
import { FetchProgress, formatDuration } from '../src/progress.js';

/** stderr as a terminal would show it: the last bar drawn, or the plain lines. */
class Screen {
  written = '';
  write(chunk: string | Uint8Array): boolean {
    this.written += String(chunk);
    return true;
  }
  /** The bar as last drawn (after the last clear-line sequence). */
  bar(): string {
    return this.written.split('\r\u001b[2K').at(-1) ?? '';
  }
}

/** A clock the test moves by hand. */
function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('the progress line', () => {
  it('shows the rate and the time left once a second of transfer has been measured', () => {
    const screen = new Screen();
    const time = clock();
    // 10 messages of 100 KiB.
    const progress = new FetchProgress(screen, true, 10, 10 * 102_400, time.now);
    progress.transfer(1, 0, 102_400);
    expect(screen.bar()).not.toMatch(/\/s|left/);
    time.advance(500);
    progress.transfer(1, 51_200, 102_400);
    // Half a second is too little to say.
    expect(screen.bar()).not.toMatch(/\/s|left/);
    time.advance(500);
    progress.saved(1, 'a.eml', 102_400);
    // 100 KiB in 1 s; 900 KiB left: 9 s.
    expect(screen.bar()).toBe(
      '[##----------------------] 1/10 messages  100 KiB/1000 KiB  100 KiB/s  9 s left',
    );
    for (let number = 2; number <= 10; number++) {
      time.advance(2000);
      progress.saved(number, `${number}.eml`, 102_400);
    }
    // The rate follows the last 5 s (50 KiB/s), not the average since the start.
    expect(screen.bar()).toMatch(/1000 KiB\/1000 KiB {2}50 KiB\/s$/);
  });

  it('an instant run shows no rate and no time left', () => {
    const screen = new Screen();
    const time = clock();
    const progress = new FetchProgress(screen, true, 2, 200, time.now);
    progress.saved(1, 'a.eml', 100);
    progress.saved(2, 'b.eml', 100);
    progress.finish();
    expect(screen.written).not.toMatch(/\/s|left/);
    expect(screen.written.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('without a terminal: plain lines, no bar, no rate', () => {
    const screen = new Screen();
    const time = clock();
    const progress = new FetchProgress(screen, false, 2, 2_000_000, time.now);
    progress.transfer(1, 500_000, 1_000_000);
    time.advance(3000);
    progress.saved(1, 'a.eml', 1_000_000);
    time.advance(3000);
    progress.saved(2, 'b.eml', 1_000_000);
    expect(screen.written).toBe(
      'saved 1/2: message 1 → a.eml (977 KiB)\nsaved 2/2: message 2 → b.eml (977 KiB)\n',
    );
  });

  it('a stalled link says over 99 h rather than a huge number', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe('2 h 05 min');
    expect(formatDuration(1e9)).toBe('over 99 h');
    expect(formatDuration(Infinity)).toBe('over 99 h');
  });
});
