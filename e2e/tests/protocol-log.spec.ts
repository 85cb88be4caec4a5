// Scenario 9: the protocol log shows the POP3 dialogue, with the password redacted.
import { protocolLogLines, reader, row, screenshot, signIn } from '../support/app.js';
import { plain } from '../support/messages.js';
import { expect, test } from '../support/test.js';

test('the protocol log shows the dialogue with the password redacted', async ({
  page,
  servers,
}, testInfo) => {
  const user = servers.users.logger;
  const list = await signIn(page, { server: 'stls', user, method: 'USER/PASS' });
  await row(list, plain.subject).click();
  await expect(reader(page)).toContainText(plain.text[0]!);
  await page.getByRole('button', { name: 'Protocol log' }).click();
  const panel = page.getByRole('region', { name: 'Protocol log' });
  await expect(panel).toContainText('Passwords and other secrets are redacted.');
  const lines = await protocolLogLines(page);

  // The whole dialogue, in order: greeting, capabilities, STLS, login, listing, reading.
  const expected = [
    /^S: \+OK /,
    /^C: CAPA$/,
    /^C: STLS$/,
    /^S: \+OK/,
    /^C: CAPA$/,
    /^C: USER logger$/,
    /^C: PASS \*\*\*$/,
    // The listing's first commands leave with the login's last line (PIPELINING), before its answer.
    /^C: UIDL$/,
    /^S: \+OK Logged in\.$/,
    /^C: TOP 1 0$/,
    /^C: RETR 1$/,
  ];
  let at = 0;
  for (const pattern of expected) {
    const found = lines.findIndex((line, index) => index >= at && pattern.test(line));
    expect(found, `${pattern} after line ${at} of:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(at);
    at = found + 1;
  }
  for (const line of lines) expect(line).not.toContain(user.password);
  expect(await page.content()).not.toContain(user.password);
  await screenshot(page, testInfo, 'protocol-log');
});
