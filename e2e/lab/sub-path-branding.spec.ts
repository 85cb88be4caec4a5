// The app under a sub-path (the bridge's basePath, as behind a proxy that passes /webmail/ on) with the
// operator's branding: title, logo, product name, accent colour and sign-in line, then a sign-in whose
// API calls and relay stay under the prefix.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoAccount } from '@webpop/testkit';
import { submitSignIn } from '../support/app.js';
import { expect, test } from '../support/lab-test.js';

const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="24"><rect width="40" height="24" fill="#0b7a4b"/></svg>';

test('serves under /webmail/ with the configured branding, and signs in through it', async ({
  page,
  lab,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'webpop-branding-'));
  await writeFile(join(dir, 'logo.svg'), LOGO);
  const demo = await lab([{ id: 'demo', label: 'Demo mailbox', accounts: [await demoAccount()] }], {
    basePath: '/webmail/',
    branding: {
      title: 'Example Mail',
      productName: 'Example Webmail',
      logo: join(dir, 'logo.svg'),
      accentColor: '#0b7a4b',
      signInText: 'Forgot your password? Ask the help desk.',
    },
  });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname));

  await page.goto(`${demo.url}/webmail`);
  expect(new URL(page.url()).pathname).toBe('/webmail/');
  await expect(page).toHaveTitle('Example Mail');
  await expect(page.getByText('Example Webmail')).toBeVisible();
  await expect(page.getByText('Forgot your password? Ask the help desk.')).toBeVisible();
  const logo = page.locator('img.brand-logo');
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(40);
  const accent = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
  );
  expect(accent).toBe('#0b7a4b');
  // White on this dark green: the readable one.
  expect(
    await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--accent-text').trim(),
    ),
  ).toBe('#ffffff');

  await submitSignIn(page, { server: 'demo', user: { username: 'demo', password: 'demo' } });
  await expect(
    page.getByRole('listbox', { name: 'Messages' }).getByRole('option', { name: /Welcome to webpop/ }),
  ).toBeVisible();
  await expect(page.locator('.toolbar .brand-name')).toHaveText('Example Webmail');
  // After the redirect of the bare prefix, everything the page asked for stayed under it (the relay too).
  expect(requests[0]).toBe('/webmail');
  expect(requests.slice(1).filter((path) => !path.startsWith('/webmail/'))).toEqual([]);
  expect(sockets).toEqual(['/webmail/pop3']);
});
