import type { Page } from '@playwright/test';

/** In the page: resolves with the milliseconds from the form's submit to the finished list. */
function timeSignInToLastRow(expected: number): void {
  const w = window as unknown as { __benchListing: Promise<number> };
  w.__benchListing = new Promise((resolve) => {
    let submitted: number | undefined;
    document.addEventListener('submit', () => (submitted = performance.now()), { capture: true, once: true });
    // Done: the list is no longer busy (every TOP answered and its row filled) and has every message.
    const observer = new MutationObserver(() => {
      if (submitted === undefined) return;
      const list = document.querySelector('[role="listbox"][aria-label="Messages"]');
      if (!list || list.getAttribute('aria-busy') !== 'false') return;
      const option = list.querySelector('[role="option"]');
      if (!option || Number(option.getAttribute('aria-setsize')) !== expected) return;
      observer.disconnect();
      resolve(performance.now() - submitted);
    });
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-busy', 'aria-setsize'],
    });
  });
}

/**
 * Opens the app, fills the sign-in form and times, inside the page, from the form's submit to the last
 * row of the list. Use a fresh browser context for each timing: the app caches headers in IndexedDB.
 */
export async function signInAndTimeList(
  page: Page,
  url: string,
  account: { serverLabel: string; username: string; password: string; messages: number },
): Promise<number> {
  await page.goto(url);
  await page.getByRole('combobox', { name: 'Server' }).selectOption({ label: account.serverLabel });
  await page.getByRole('textbox', { name: 'Username' }).fill(account.username);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  // A person takes seconds to fill the form: by then the page has fetched what comes after it.
  await page.waitForLoadState('networkidle');
  await page.evaluate(timeSignInToLastRow, account.messages);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page.evaluate(() => (window as unknown as { __benchListing: Promise<number> }).__benchListing);
}
