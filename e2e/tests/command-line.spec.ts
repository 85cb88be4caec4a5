// Issue 23: the POP3 command line under the protocol log, against real Dovecot.
import type { Page } from '@playwright/test';
import { protocolLogLines, row, screenshot, signIn } from '../support/app.js';
import { expect, test } from '../support/test.js';

async function send(page: Page, line: string) {
  const input = page.getByRole('textbox', { name: 'POP3 command' });
  await input.fill(line);
  await page.getByRole('button', { name: 'Send command' }).click();
  await expect(input).toHaveValue('');
}

/** Resolves once the log holds a line matching each pattern, in this order, after the last `C: <sent>`. */
async function expectAnswered(page: Page, sent: string, patterns: RegExp[]) {
  await expect
    .poll(async () => {
      const lines = await protocolLogLines(page);
      let at = lines.lastIndexOf(`C: ${sent}`);
      if (at === -1) return `no "C: ${sent}" in:\n${lines.join('\n')}`;
      for (const pattern of patterns) {
        const found = lines.findIndex((line, index) => index > at && pattern.test(line));
        if (found === -1) return `no ${pattern} after "C: ${sent}" in:\n${lines.join('\n')}`;
        at = found;
      }
      return 'answered';
    })
    .toBe('answered');
}

test('commands typed under the protocol log are answered in it; DELE and Undo act on the list; PASS is refused', async ({
  page,
  servers,
}, testInfo) => {
  const user = servers.users.typist;
  const list = await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Typed first')).toBeVisible();
  await page.getByRole('button', { name: 'Protocol log' }).click();
  const feedback = page.getByRole('region', { name: 'Protocol log' }).locator('.command-feedback');

  await send(page, 'STAT');
  await expectAnswered(page, 'STAT', [/^S: \+OK 2 \d+$/, /^-- 2 messages of \d+ octets in all/]);
  await send(page, 'LIST 1');
  await expectAnswered(page, 'LIST 1', [/^S: \+OK 1 \d+$/]);
  await send(page, 'uidl');
  await expectAnswered(page, 'UIDL', [/^S: \+OK/, /^S: 1 \S+$/, /^S: 2 \S+$/, /^S: \.$/]);
  await send(page, 'TOP 1 0');
  await expectAnswered(page, 'TOP 1 0', [/^S: \+OK/, /^S: Subject: Typed first$/, /^S: \.$/]);

  await send(page, 'DELE 1');
  await expect(row(list, 'Typed first')).toHaveAccessibleName(/marked for deletion/);
  await expect(feedback).toContainText('Deletions commit only at QUIT');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(row(list, 'Typed first')).not.toHaveAccessibleName(/marked for deletion/);

  await send(page, `PASS ${user.password}`);
  await expect(feedback).toContainText('PASS would put the password into the dialogue');
  const lines = await protocolLogLines(page);
  expect(lines.at(-1)).toMatch(/^-- not sent: PASS would put the password into the dialogue/);
  for (const line of lines) expect(line).not.toContain(user.password);
  expect(await page.content()).not.toContain(user.password);
  await screenshot(page, testInfo, 'command-line');
  expect(await servers.dovecot.maildirFiles(user.username)).toHaveLength(2);
});
