// The longest main-thread task in a page (PerformanceObserver "longtask": tasks over 50 ms), and a
// bound for it that holds on a loaded machine without going slack on a quiet one.
import type { Page } from '@playwright/test';

declare global {
  interface Window {
    __longTasks?: { longest: number };
  }
}

/** Records the longest task from the page's first script on (call before `page.goto`). */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const record = { longest: 0 };
    window.__longTasks = record;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) record.longest = Math.max(record.longest, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The longest task since the last reset, in whole milliseconds (0: none over 50 ms). */
export const longestTask = (page: Page): Promise<number> =>
  page.evaluate(() => Math.round(window.__longTasks!.longest));

export const resetLongest = (page: Page): Promise<void> =>
  page.evaluate(() => {
    window.__longTasks!.longest = 0;
  });

/**
 * The bound for a measured task: `target` (the figure), or `ratio` times what ordinary work
 * took in the same page, in the same run, when the machine is slower than that (2 cores shared by
 * several test runs stretch every task alike: at a load average of 15 one ordinary opening took
 * 1.4 s). The code these bounds guard against took seconds to minutes, far past either.
 */
export function boundUnderLoad(target: number, baseline: number, ratio = 4): number {
  return Math.max(target, ratio * baseline);
}
