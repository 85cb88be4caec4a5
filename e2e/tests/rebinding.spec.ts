// DNS rebinding, in Chromium: a name the test maps to the bridge's loopback address
// (--host-resolver-rules) stands for an attacker's name whose DNS answer switched to the bridge. Its
// page (served by the test, as the attacker's server served it before the switch) tries the bridge's
// API and relay under that name; the bridge answers only for its own names. Under 127.0.0.1 and
// localhost the app still works.
import { chromium, type Browser } from '@playwright/test';
import { systemChromiumLaunchOptions } from '@webpop/testkit';
import { messageList, signOut, submitSignIn } from '../support/app.js';
import { expect, test } from '../support/test.js';

const REBOUND = 'rebind.attacker.test';

let browser: Browser | undefined;

test.afterAll(async () => {
  await browser?.close();
});

async function rebindingBrowser(): Promise<Browser> {
  const options = systemChromiumLaunchOptions();
  browser ??= await chromium.launch({
    ...options,
    args: [
      ...(options.args ?? []),
      `--host-resolver-rules=MAP ${REBOUND} 127.0.0.1`,
      // Chromium's Private Network Access would stop this page's requests to loopback; Firefox and
      // Safari have no such check, so the bridge itself must refuse.
      '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,LocalNetworkAccessChecks',
    ],
  });
  return browser;
}

test('a page under a rebound name can read nothing from the bridge and open no relay', async ({
  servers,
}) => {
  const port = new URL(servers.url).port;
  const attackerOrigin = `http://${REBOUND}:${port}`;
  const context = await (await rebindingBrowser()).newContext();
  try {
    const page = await context.newPage();
    // Straight to the bridge under the rebound name: not even the app is served.
    const direct = await page.goto(`${attackerOrigin}/`);
    expect(direct?.status()).toBe(421);
    expect(await page.content()).not.toContain('webpop');

    // The attacker's page (from before the DNS switch), then its requests to "its own" origin.
    await context.route(`${attackerOrigin}/attack`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>attacker</title>' }),
    );
    await page.goto(`${attackerOrigin}/attack`);
    const outcome = await page.evaluate(async (origin) => {
      const api = await fetch(`${origin}/api/servers`).then(
        async (response) => ({ status: response.status, body: await response.text() }),
        (error: unknown) => ({ status: 0, body: String(error) }),
      );
      const relay = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/pop3`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('error');
      });
      return { api, relay };
    }, attackerOrigin);
    expect(outcome.api.status, outcome.api.body).toBe(421);
    expect(outcome.api.body).not.toContain('servers');
    expect(outcome.relay).toBe('error');
    expect(servers.bridge.openSessions).toBe(0);
  } finally {
    await context.close();
  }
});

for (const host of ['127.0.0.1', 'localhost']) {
  test(`the app works under ${host}`, async ({ servers }) => {
    const port = new URL(servers.url).port;
    const context = await (await rebindingBrowser()).newContext();
    try {
      const page = await context.newPage();
      await page.goto(`http://${host}:${port}/`);
      await submitSignIn(page, { server: 'pop3s', user: servers.users.reader });
      await expect(messageList(page)).toHaveAttribute('aria-busy', 'false');
      await signOut(page);
    } finally {
      await context.close();
    }
  });
}
