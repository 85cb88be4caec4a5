// Driving the web app the way a person does, by roles and accessible names.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect } from './test.js';
import type { User } from './servers.js';

export type ServerId = 'plain' | 'pop3s' | 'stls' | 'refused';
export type Method = 'USER/PASS' | 'APOP' | 'PLAIN' | 'LOGIN' | 'CRAM-MD5';

/** What the sign-in form gets: a server id of the bridge's list, the user, and the method if not the default. */
export interface SignInForm {
  server: string;
  user: User;
  method?: Method;
}

/** Signing in to the Dovecot project's bridge, whose servers are known. */
export interface SignInOptions extends SignInForm {
  server: ServerId;
}

/** Fills in and submits the sign-in form (the page must show it). */
export async function submitSignIn(page: Page, options: SignInForm): Promise<void> {
  const server = page.getByRole('combobox', { name: 'Server' });
  await expect(server).toBeEnabled();
  await server.selectOption(options.server);
  await page.getByRole('textbox', { name: 'Username' }).fill(options.user.username);
  await page.getByRole('textbox', { name: 'Password' }).fill(options.user.password);
  if (options.method) {
    await page.getByText('Advanced').click();
    await page.getByRole('combobox', { name: 'Authentication' }).selectOption({ label: options.method });
  }
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Opens the app, signs in and waits until the whole list is there. */
export async function signIn(page: Page, options: SignInOptions): Promise<Locator> {
  if (!page.url().startsWith('http')) await page.goto('/');
  await submitSignIn(page, options);
  const list = messageList(page);
  await expect(list).toBeVisible();
  await expect(list).toHaveAttribute('aria-busy', 'false');
  return list;
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

export function messageList(page: Page): Locator {
  return page.getByRole('listbox', { name: 'Messages' });
}

/** The row of the message with this subject (rows are named "sender date subject size[, marks]"). */
export function row(list: Locator, subject: string): Locator {
  return list.getByRole('option', { name: new RegExp(escapeRegExp(subject)) });
}

export function reader(page: Page): Locator {
  return page.getByRole('region', { name: 'Message' });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Attaches a screenshot of the whole page to the test (report, and test-results/<test>/attachments/). */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

/**
 * Every line of the protocol log. The log is virtualized (only the lines near the view are in the page),
 * so this scrolls it from top to bottom and gathers the lines by their position.
 */
export async function protocolLogLines(page: Page): Promise<string[]> {
  const log = page.getByRole('log', { name: 'POP3 dialogue' });
  await expect(log).toBeVisible();
  return log.evaluate(async (element) => {
    const seen = new Map<number, string>();
    const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    for (let top = 0; ; top += Math.max(20, element.clientHeight / 2)) {
      element.scrollTop = top;
      await painted();
      const origin = element.getBoundingClientRect().top - element.scrollTop;
      for (const line of element.querySelectorAll(':scope > div > div')) {
        seen.set(Math.round(line.getBoundingClientRect().top - origin), line.textContent ?? '');
      }
      if (element.scrollTop + element.clientHeight >= element.scrollHeight - 1) break;
    }
    return [...seen.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
  });
}

/**
 * Slows what the bridge sends to the page down to about `bytesPerSecond`, like a modest link (on
 * loopback, a listing or a download is over before a person, or a test, could see it progress).
 * The page's WebSocket still talks to the real bridge; frames are only held back, in order.
 */
export async function throttleBridge(page: Page, bytesPerSecond: number): Promise<void> {
  await page.routeWebSocket(/\/pop3$/, (ws) => {
    const server = ws.connectToServer();
    let queue = Promise.resolve();
    server.onMessage((message) => {
      queue = queue.then(async () => {
        if (typeof message !== 'string') await sleep((message.length / bytesPerSecond) * 1000);
        ws.send(message);
      });
    });
    server.onClose((code, reason) => void queue.then(() => ws.close({ code, reason })));
  });
}
