// A misbehaving mail server (testkit's faults, switched on and off mid-test) and a bridge restarted
// mid-session: the app says what happened, offers to reconnect, and reconnecting works once the fault
// is gone. It never shows a partial message as complete, and never shows a message as read or deleted
// when it is not.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { Pop3Faults } from '@webpop/testkit';
import { messageList, reader } from '../support/app.js';
import { expect, signIn, test, type LabFactory } from '../support/lab-test.js';
import type { Lab } from '../support/lab.js';
import { longMail, numberedMails } from '../support/mail.js';

const password = randomUUID();
const account = { server: 'faulty', username: 'alice', password };

function faultyServer(lab: LabFactory, messages: Uint8Array[], faults?: Pop3Faults): Promise<Lab> {
  return lab([
    {
      id: 'faulty',
      label: 'Faulty server',
      accounts: [{ username: 'alice', password, messages }],
      ...(faults ? { faults } : {}),
    },
  ]);
}

const row = (page: Page, subject: string) =>
  messageList(page).getByRole('option', { name: new RegExp(`${subject}\\b`) });
const sessionAlert = (page: Page) =>
  page
    .getByRole('alert')
    .filter({ hasText: /server/i })
    .first();
const reconnect = (page: Page) => page.getByRole('button', { name: 'Reconnect' });

/** Reconnect, then wait for the new session (Refresh is enabled only in a ready session). */
async function reconnectNow(page: Page) {
  await reconnect(page).click();
  await expect(reconnect(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
}

/** The messages still on the server for alice. */
function onServer(server: Lab): number {
  return server.pop3('faulty').accounts.get('alice')!.messages.length;
}

async function expectListed(page: Page, count: number) {
  await expect(page.getByText(`${count} messages`, { exact: true })).toBeVisible();
  await expect(messageList(page).getByRole('option', { name: /Loading…|headers unavailable/ })).toHaveCount(
    0,
  );
}

/** Signs in to three messages and marks "Message 2" for deletion. */
async function signedInWithMessage2Deleted(page: Page, lab: LabFactory): Promise<Lab> {
  const server = await faultyServer(lab, numberedMails(3));
  await signIn(page, server, account);
  await expectListed(page, 3);
  await row(page, 'Message 2').click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(row(page, 'Message 2')).toHaveAccessibleName(/marked for deletion/);
  return server;
}

test.describe('faults while signing in', () => {
  test('the connection drops during login', async ({ page, lab }) => {
    const server = await faultyServer(lab, numberedMails(3), { dropAfterCommand: { command: 'AUTH' } });
    await signIn(page, server, account);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Signing in failed');
    await expect(alert).toContainText('The connection was closed');
    await expect(alert).toContainText('the server closed the connection while waiting for the reply to AUTH');
    // The drop happens once: signing in again works.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectListed(page, 3);
  });

  test('the server closes right after its greeting', async ({ page, lab }) => {
    const server = await faultyServer(lab, numberedMails(3), { greeting: 'close' });
    await signIn(page, server, account);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Signing in failed');
    await expect(alert).toContainText('The connection was closed');
    await expect(alert).toContainText('the server closed the connection while waiting for the reply to CAPA');
    server.pop3('faulty').setFaults({});
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectListed(page, 3);
  });

  for (const [code, words] of [
    ['IN-USE', 'The mailbox is in use by another session'],
    ['LOGIN-DELAY', 'The server allows signing in only every few minutes'],
  ] as const) {
    test(`the server answers -ERR [${code}]`, async ({ page, lab }) => {
      const server = await faultyServer(lab, numberedMails(3), { loginError: code });
      await signIn(page, server, account);
      const alert = page.getByRole('alert');
      await expect(alert).toContainText('Signing in failed');
      await expect(alert).toContainText(words);
      await expect(alert).toContainText(`[${code}]`);
      server.pop3('faulty').setFaults({});
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expectListed(page, 3);
    });
  }
});

test.describe('faults in a session', () => {
  test('the connection drops in the middle of the TOP listing', async ({ page, lab }) => {
    const server = await faultyServer(lab, numberedMails(300), {
      dropAfterCommand: { command: 'TOP', after: 40, midResponseBytes: 30 },
    });
    await signIn(page, server, account);
    await expect(sessionAlert(page)).toContainText('The connection to the server was lost');
    await expect(reconnect(page)).toBeVisible();
    // The cut-off listing does not pretend to go on: no progress, no row "Loading…".
    await expect(page.getByRole('progressbar', { name: 'Loading messages' })).toHaveCount(0);
    // Rows without headers sort as the oldest: ascending puts them on top.
    await page.getByRole('button', { name: 'Descending' }).click();
    await expect(messageList(page).getByRole('option').first()).toHaveAccessibleName(/headers unavailable/);
    await expect(messageList(page).getByRole('option', { name: /Loading…/ })).toHaveCount(0);
    await page.getByRole('button', { name: 'Ascending' }).click();
    await reconnectNow(page);
    await expectListed(page, 300);
    await expect(row(page, 'Message 300')).toBeVisible();
  });

  test('the connection drops in the middle of RETR: no partial message, not marked read', async ({
    page,
    lab,
  }) => {
    const server = await faultyServer(lab, [
      ...numberedMails(2),
      longMail('A long message', 300_000, 'THE END OF THE LONG MESSAGE'),
    ]);
    await signIn(page, server, account);
    await expectListed(page, 3);
    server.pop3('faulty').setFaults({ dropAfterCommand: { command: 'RETR', midResponseBytes: 120_000 } });
    await row(page, 'A long message').click();
    await expect(sessionAlert(page)).toContainText('The connection to the server was lost');
    await expect(reader(page).getByRole('alert')).toContainText('The message could not be opened');
    await expect(reader(page).getByRole('alert')).toContainText('an incomplete message is not shown');
    await expect(reader(page).getByRole('heading', { name: 'A long message' })).toHaveCount(0);
    await expect(reader(page)).not.toContainText('line after line');
    await expect(row(page, 'A long message')).toHaveAccessibleName(/unread/);

    await reconnectNow(page);
    await expectListed(page, 3);
    await expect(row(page, 'A long message')).toHaveAccessibleName(/unread/);
    await row(page, 'A long message').click();
    await expect(reader(page).getByRole('heading', { name: 'A long message' })).toBeVisible();
    await expect(reader(page)).toContainText('THE END OF THE LONG MESSAGE');
    await expect(row(page, 'A long message')).not.toHaveAccessibleName(/unread/);
  });

  test('a deletion, then the connection drops: the deletion was not committed', async ({ page, lab }) => {
    const server = await signedInWithMessage2Deleted(page, lab);

    server.pop3('faulty').setFaults({ dropAfterCommand: { command: 'RETR' } });
    await row(page, 'Message 1').click();
    const alert = sessionAlert(page);
    await expect(alert).toContainText('The connection to the server was lost');
    await expect(alert).toContainText('1 message marked for deletion was not deleted');
    await expect(row(page, 'Message 2')).not.toHaveAccessibleName(/marked for deletion/);
    expect(onServer(server)).toBe(3);

    await reconnectNow(page);
    await expectListed(page, 3);
    await expect(row(page, 'Message 2')).not.toHaveAccessibleName(/marked for deletion/);
    await expect(page.getByRole('status').filter({ hasText: 'not deleted' })).toBeVisible();
  });

  test('a deletion, then Refresh whose QUIT is cut off: the deletion was not committed', async ({
    page,
    lab,
  }) => {
    const server = await signedInWithMessage2Deleted(page, lab);

    server.pop3('faulty').setFaults({ dropAfterCommand: { command: 'QUIT' } });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expectListed(page, 3);
    await expect(
      page.getByRole('status').filter({ hasText: '1 message marked for deletion was not deleted' }),
    ).toBeVisible();
    await expect(row(page, 'Message 2')).not.toHaveAccessibleName(/marked for deletion/);
    expect(onServer(server)).toBe(3);
  });

  test('a deletion, then Sign out whose QUIT is cut off: the sign-in page says it was not deleted', async ({
    page,
    lab,
  }) => {
    const server = await signedInWithMessage2Deleted(page, lab);

    server.pop3('faulty').setFaults({ dropAfterCommand: { command: 'QUIT' } });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(
      page.getByRole('status').filter({ hasText: '1 message marked for deletion was not deleted' }),
    ).toBeVisible();
    expect(onServer(server)).toBe(3);
  });

  test('the server stalls: the app times out and offers to reconnect', async ({ page, lab }) => {
    await page.clock.install();
    const server = await faultyServer(lab, numberedMails(3));
    await signIn(page, server, account);
    await expectListed(page, 3);
    server.pop3('faulty').setFaults({ stallOn: 'RETR' });
    await row(page, 'Message 1').click();
    await expect(reader(page).getByRole('progressbar', { name: 'Download progress' })).toBeVisible();
    // The engine gives up on a reply that makes no progress for 30 s; the page's clock jumps there.
    await page.clock.fastForward(31_000);
    await expect(sessionAlert(page)).toContainText('The mail server stopped answering');
    await expect(row(page, 'Message 1')).toHaveAccessibleName(/unread/);
    server.pop3('faulty').setFaults({});
    await reconnectNow(page);
    await row(page, 'Message 1').click();
    await expect(reader(page)).toContainText('This is message 1.');
  });

  const notPop3: Array<[string, Pop3Faults]> = [
    ['a 1 MB line', { longLineOn: { command: 'RETR', bytes: 1024 * 1024 } }],
    ['bytes that are not text', { binaryOn: { command: 'RETR', bytes: 4096 } }],
    [
      'a reply that is neither +OK nor -ERR',
      { garbageOn: { command: 'RETR', line: '* OK IMAP4rev1 ready' } },
    ],
  ];
  for (const [what, faults] of notPop3) {
    test(`the server answers RETR with ${what}`, async ({ page, lab }) => {
      const server = await faultyServer(lab, numberedMails(3));
      await signIn(page, server, account);
      await expectListed(page, 3);
      server.pop3('faulty').setFaults(faults);
      await row(page, 'Message 1').click();
      await expect(sessionAlert(page)).toContainText('The mail server answered something that is not POP3');
      await expect(reader(page)).not.toContainText('This is message 1.');
      await expect(row(page, 'Message 1')).toHaveAccessibleName(/unread/);
      server.pop3('faulty').setFaults({});
      await reconnectNow(page);
      await row(page, 'Message 1').click();
      await expect(reader(page)).toContainText('This is message 1.');
    });
  }

  test('the server answers the TOP listing with bytes that are not text', async ({ page, lab }) => {
    const server = await faultyServer(lab, numberedMails(5), { binaryOn: { command: 'TOP' } });
    await signIn(page, server, account);
    await expect(sessionAlert(page)).toContainText('The mail server answered something that is not POP3');
    server.pop3('faulty').setFaults({});
    await reconnectNow(page);
    await expectListed(page, 5);
  });

  test('the server answers DELE with garbage: the message is not shown as deleted', async ({ page, lab }) => {
    const server = await faultyServer(lab, numberedMails(3));
    await signIn(page, server, account);
    await expectListed(page, 3);
    server.pop3('faulty').setFaults({ garbageOn: { command: 'DELE', line: 'HTTP/1.1 400 Bad Request' } });
    await row(page, 'Message 2').click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await expect(sessionAlert(page)).toContainText('The mail server answered something that is not POP3');
    await expect(row(page, 'Message 2')).not.toHaveAccessibleName(/marked for deletion/);
    expect(onServer(server)).toBe(3);
  });

  test('the bridge restarts mid-session', async ({ page, lab }) => {
    const server = await faultyServer(lab, numberedMails(3));
    await signIn(page, server, account);
    await expectListed(page, 3);
    await server.restartBridge();
    await expect(sessionAlert(page)).toContainText('The connection to the server was lost');
    await expect(sessionAlert(page)).toContainText('The connection to the webpop bridge was cut');
    await reconnectNow(page);
    await expectListed(page, 3);
    await row(page, 'Message 3').click();
    await expect(reader(page)).toContainText('This is message 3.');
  });
});
