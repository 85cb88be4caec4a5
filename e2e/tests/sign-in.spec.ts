// Scenario 1: signing in every way Dovecot offers, and the errors a person can meet on the way.
import {
  messageList,
  protocolLogLines,
  row,
  screenshot,
  signIn,
  submitSignIn,
  type Method,
  type ServerId,
} from '../support/app.js';
import { plain } from '../support/messages.js';
import { expect, test } from '../support/test.js';

const ways: Array<{ title: string; server: ServerId; method?: Method; sent: RegExp; encrypted: boolean }> = [
  {
    title: 'USER/PASS over STLS',
    server: 'stls',
    method: 'USER/PASS',
    sent: /^C: USER reader$/,
    encrypted: true,
  },
  {
    title: 'implicit TLS',
    server: 'pop3s',
    sent: /^-- connected \(TLS, TLSv1\.[23], certificate verified\)$/,
    encrypted: true,
  },
  { title: 'APOP', server: 'plain', method: 'APOP', sent: /^C: APOP reader \*\*\*$/, encrypted: false },
  {
    title: 'AUTH LOGIN over STLS',
    server: 'stls',
    method: 'LOGIN',
    sent: /^C: AUTH LOGIN$/,
    encrypted: true,
  },
  { title: 'AUTH PLAIN', server: 'pop3s', method: 'PLAIN', sent: /^C: AUTH PLAIN/, encrypted: true },
  {
    title: 'AUTH CRAM-MD5',
    server: 'plain',
    method: 'CRAM-MD5',
    sent: /^C: AUTH CRAM-MD5$/,
    encrypted: false,
  },
];

for (const way of ways) {
  test(`signs in with ${way.title}`, async ({ page, servers }, testInfo) => {
    const list = await signIn(page, { server: way.server, user: servers.users.reader, method: way.method });
    await expect(row(list, plain.subject)).toBeVisible();
    await expect(
      page.getByRole('img', { name: way.encrypted ? 'Encrypted' : 'Not encrypted' }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Protocol log' }).click();
    const lines = await protocolLogLines(page);
    const login = lines.findIndex((line) => way.sent.test(line));
    expect(login, lines.join('\n')).toBeGreaterThan(-1);
    if (way.server === 'stls') {
      // The credentials went only after the upgrade.
      expect(lines.indexOf('C: STLS')).toBeGreaterThan(-1);
      expect(login).toBeGreaterThan(lines.indexOf('C: STLS'));
    }
    if (way.title === 'USER/PASS over STLS') await screenshot(page, testInfo, 'mailbox');
  });
}

test("a wrong password shows the server's own message", async ({ page, servers }, testInfo) => {
  await page.goto('/');
  const user = { username: servers.users.reader.username, password: 'not-the-password' };
  await submitSignIn(page, { server: 'pop3s', user });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Signing in failed');
  // Dovecot answers "-ERR [AUTH] Authentication failed."; the page quotes it after its own words.
  await expect(alert).toContainText(
    'The server did not accept the username or password.The server said: “[AUTH] Authentication failed.”',
  );
  await expect(page.getByRole('textbox', { name: 'Password' })).toBeEditable();
  await expect(messageList(page)).toHaveCount(0);
  await screenshot(page, testInfo, 'sign-in-wrong-password');
});

test('an unreachable server shows a clear error', async ({ page, servers }) => {
  await page.goto('/');
  await submitSignIn(page, { server: 'refused', user: servers.users.reader });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The mail server could not be reached.');
  await expect(messageList(page)).toHaveCount(0);
});

test('a target the bridge refuses shows a clear error', async ({ page, servers }, testInfo) => {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Server' }).selectOption({ label: 'Other server…' });
  // A private address: the bridge's policy refuses it without connecting anywhere.
  await page.getByRole('textbox', { name: 'Host' }).fill('10.20.30.40');
  await page.getByRole('combobox', { name: 'Security' }).selectOption('tls');
  await page.getByRole('textbox', { name: 'Username' }).fill(servers.users.reader.username);
  await page.getByRole('textbox', { name: 'Password' }).fill(servers.users.reader.password);
  await screenshot(page, testInfo, 'sign-in-other-server');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The bridge refuses to connect to that address');
  await expect(messageList(page)).toHaveCount(0);
  await screenshot(page, testInfo, 'sign-in-bridge-refused');
});
