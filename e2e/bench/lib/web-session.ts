import type { Browser, Page } from '@playwright/test';

/** What one sign-in measured in the page: both wall times from the form's submit, and the CPU beside them. */
export interface ListingTiming {
  /** Until the first row shows its headers (the first TOP answered and rendered). */
  readonly firstRowMs: number;
  /** Until the list is complete (every TOP answered and its row filled). */
  readonly listMs: number;
  /**
   * The renderer's main-thread task time over the same span (Chromium's `TaskDuration` metric: how
   * long its tasks took, in wall time, so a descheduled task counts too).
   */
  readonly mainThreadMs: number;
  /**
   * CPU time of Chromium's renderer processes over the same span (`SystemInfo.getProcessInfo`): on a
   * shared machine the wall times move with the neighbours, this with what the page did.
   */
  readonly rendererCpuMs: number;
}

/**
 * The CPU seconds Chromium's renderer processes have used so far (`SystemInfo.getProcessInfo`; a
 * page's workers run in its renderer): on a shared machine wall times move with the neighbours,
 * this with what the page did.
 */
export async function rendererCpu(
  browser: Browser,
): Promise<{ seconds(): Promise<number>; detach(): Promise<void> }> {
  const cdp = await browser.newBrowserCDPSession();
  return {
    async seconds() {
      const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
        processInfo: Array<{ type: string; cpuTime: number }>;
      };
      return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime, 0);
    },
    detach: () => cdp.detach(),
  };
}

/** In the page: resolves with the milliseconds from the form's submit to the first filled row and the last. */
function timeSignInToRows(expected: number): void {
  const w = window as unknown as { __benchListing: Promise<{ firstRowMs: number; listMs: number }> };
  w.__benchListing = new Promise((resolve) => {
    let submitted: number | undefined;
    let firstRow: number | undefined;
    document.addEventListener('submit', () => (submitted = performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (submitted === undefined) return;
      const list = document.querySelector('[role="listbox"][aria-label="Messages"]');
      if (!list) return;
      // A row is filled once it is no longer `.pending` (MessageList's class for headers not yet read).
      if (firstRow === undefined && list.querySelector('[role="option"]:not(.pending)'))
        firstRow = performance.now();
      // Done: the list is no longer busy (every TOP answered and its row filled) and has every message.
      if (list.getAttribute('aria-busy') !== 'false') return;
      const option = list.querySelector('[role="option"]');
      if (!option || Number(option.getAttribute('aria-setsize')) !== expected) return;
      observer.disconnect();
      const done = performance.now();
      resolve({ firstRowMs: (firstRow ?? done) - submitted, listMs: done - submitted });
    });
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-busy', 'aria-setsize', 'class'],
    });
  });
}

/**
 * Opens the app, fills the sign-in form and times, inside the page, from the form's submit to the first
 * filled row and to the last row of the list. Use a fresh browser context for each timing: the app
 * caches headers in IndexedDB.
 */
export async function signInAndTimeList(
  page: Page,
  url: string,
  account: { serverLabel: string; username: string; password: string; messages: number },
  /** `beforeClick`: right before "Sign in" is clicked (to start a profiler, say). */
  hooks: { beforeClick?: () => Promise<void> } = {},
): Promise<ListingTiming> {
  await page.goto(url);
  await page.getByRole('combobox', { name: 'Server' }).selectOption({ label: account.serverLabel });
  await page.getByRole('textbox', { name: 'Username' }).fill(account.username);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  // A person takes seconds to fill the form: by then the page has fetched what comes after it.
  await page.waitForLoadState('networkidle');
  await page.evaluate(timeSignInToRows, account.messages);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN;
  };
  const renderers = await rendererCpu(page.context().browser()!);
  const before = await taskSeconds();
  const cpuBefore = await renderers.seconds();
  await hooks.beforeClick?.();
  await page.getByRole('button', { name: 'Sign in' }).click();
  const times = await page.evaluate(
    () =>
      (window as unknown as { __benchListing: Promise<{ firstRowMs: number; listMs: number }> })
        .__benchListing,
  );
  const rendererCpuMs = ((await renderers.seconds()) - cpuBefore) * 1000;
  const mainThreadMs = ((await taskSeconds()) - before) * 1000;
  await cdp.detach();
  await renderers.detach();
  return { ...times, mainThreadMs, rendererCpuMs };
}
