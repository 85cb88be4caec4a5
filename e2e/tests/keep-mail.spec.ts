// Issue 15: the mail kept on this device and what happens to the server's copy, checked in the maildir.
import type { Page } from '@playwright/test';
import { connectPop3 } from '@webpop/pop3/node';
import { splitMbox } from '@webpop/mailfile';
import { row, signIn, signOut } from '../support/app.js';
import { chooseSettings, deviceStatus, maildirSubjects, persistence } from '../support/keeping.js';
import { killSession } from '../support/dovecot.js';
import * as messages from '../support/messages.js';
import { expect, test } from '../support/test.js';
import { exportAs, withoutSavePicker } from '../support/transfer.js';

test('"Remove from the server once saved here": held while storage may be evicted, then removed at QUIT, still readable here', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.keeper;
  await persistence(page, false);
  await signIn(page, { server: 'pop3s', user });
  await expect(deviceStatus(page)).toContainText('Headers only');

  await chooseSettings(page, { serverCopy: 'Remove from the server once saved here' });
  await expect(deviceStatus(page)).toContainText('2 of 2 saved on this device');
  await expect(deviceStatus(page)).toContainText('2 server copies are kept');
  await signOut(page);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);

  const list = await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server once saved here', acknowledge: true });
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  // DELE only marks: the files stay until QUIT.
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
  await signOut(page);
  await expect.poll(() => dovecot.maildirFiles(user.username)).toHaveLength(0);

  await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Keep here one')).toContainText('Kept only on this device');
  await row(list, 'Keep here two').click();
  await expect(page.getByRole('region', { name: 'Message' })).toContainText('Body of Keep here two.');

  // Local folders: Archive moves it out of the Inbox; Restore brings it back.
  await page.getByRole('button', { name: 'Archive' }).click();
  await expect(row(list, 'Keep here two')).toHaveCount(0);
  const folders = page.getByRole('navigation', { name: 'Folders' });
  await folders.getByRole('link', { name: 'Archive' }).click();
  await row(list, 'Keep here two').click();
  await page.getByRole('button', { name: 'Restore' }).click();
  await expect(row(list, 'Keep here two')).toHaveCount(0);
  await folders.getByRole('link', { name: 'Inbox' }).click();
  await expect(row(list, 'Keep here two')).toBeVisible();
});

test('the connection cut between DELE and QUIT removes nothing; the next session removes them', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.cutter;
  await persistence(page, true);
  await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server once saved here' });
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  expect(killSession(dovecot, user.username)).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);

  await page.getByRole('button', { name: 'Reconnect' }).click();
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  await signOut(page);
  await expect.poll(() => dovecot.maildirFiles(user.username)).toHaveLength(0);
});

test('quota exceeded: downloading stops with a clear message and nothing is deleted', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.filler;
  await persistence(page, true);
  await page.addInitScript(() => {
    Object.defineProperty(StorageManager.prototype, 'estimate', {
      value: async () => ({ usage: 10_000_000_000, quota: 10_000_000_000 }),
    });
  });
  await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server once saved here' });
  await expect(deviceStatus(page)).toContainText('0 of 2 saved on this device');
  await expect(deviceStatus(page)).toContainText('storage for this site is full');
  await signOut(page);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
});

test('"Remove from the server when I delete it here": Delete moves to Trash and marks the proven copy; QUIT removes it, Trash keeps it', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.trasher;
  await persistence(page, true);
  await withoutSavePicker(page);
  const list = await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server when I delete it here' });
  await expect(deviceStatus(page)).toContainText('2 of 2 saved on this device');
  await row(list, 'Trash me').click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(row(list, 'Trash me')).toHaveCount(0);
  await expect(deviceStatus(page)).toContainText('1 server copy is removed when the session ends');
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
  const folders = page.getByRole('navigation', { name: 'Folders' });
  await folders.getByRole('link', { name: 'Trash' }).click();
  await expect(row(list, 'Trash me')).toBeVisible();
  // Export offers the folder shown: the Trash, streamed like any folder.
  const trash = await exportAs(page, 'mbox (one file, for mail programs)', 1, 'Trash');
  expect(trash.name).toBe(`${user.username} Trash.mbox`);
  expect(
    splitMbox(trash.bytes).map(({ bytes }) => /^Subject: (.*)\r$/m.exec(Buffer.from(bytes).toString())?.[1]),
  ).toEqual(['Trash me']);
  await signOut(page);
  await expect
    .poll(async () => maildirSubjects(await dovecot.maildirFiles(user.username)))
    .toEqual(['Keep me here']);

  await signIn(page, { server: 'pop3s', user });
  await folders.getByRole('link', { name: 'Trash' }).click();
  await expect(row(list, 'Trash me')).toContainText('Kept only on this device');
  await row(list, 'Trash me').click();
  await expect(page.getByRole('region', { name: 'Message' })).toContainText('Body of Trash me.');
  await page.getByRole('button', { name: 'Empty trash' }).click();
  await expect(row(list, 'Trash me')).toHaveCount(0);
  await signOut(page);
  expect(await maildirSubjects(await dovecot.maildirFiles(user.username))).toEqual(['Keep me here']);
});

test('"Remove from the server after N days" counts from first seen, per UIDL (the page clock moved, no sleeps)', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.ager;
  const day = 86_400_000;
  const start = Date.parse('2026-03-01T08:00:00Z');
  await persistence(page, true);
  await page.clock.install({ time: start });
  await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server after N days', days: 3 });
  await expect(deviceStatus(page)).toContainText('2 of 2 saved on this device');
  await signOut(page);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);

  // Two days later a third message arrives: first seen then.
  await dovecot.deliver(user.username, messages.simple('Aged three', 25));
  await page.clock.setSystemTime(start + 2 * day);
  await signIn(page, { server: 'pop3s', user });
  await expect(deviceStatus(page)).toContainText('3 of 3 saved on this device');
  await signOut(page);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(3);

  // Three days after the first two were first seen: they go, the third stays.
  await page.clock.setSystemTime(start + 3 * day + 60_000);
  await signIn(page, { server: 'pop3s', user });
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  await signOut(page);
  await expect
    .poll(async () => maildirSubjects(await dovecot.maildirFiles(user.username)))
    .toEqual(['Aged three']);
});

/** Every POP3 byte of a page's sessions passes through here: the RETRs it sends, and a switch to hold the server's bytes. */
async function relayPop3(page: Page): Promise<{ retrs: number[]; hold(): void }> {
  const retrs: number[] = [];
  let holding = false;
  await page.routeWebSocket(/\/pop3$/, (ws) => {
    const server = ws.connectToServer();
    let pending = '';
    ws.onMessage((message) => {
      if (typeof message !== 'string') {
        const lines = (pending + message.toString('latin1')).split('\r\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const retr = /^RETR (\d+)$/.exec(line);
          if (retr) retrs.push(Number(retr[1]));
        }
      }
      server.send(message);
    });
    server.onMessage((message) => {
      if (!holding) ws.send(message);
    });
  });
  return { retrs, hold: () => (holding = true) };
}

/** The UIDLs the page's mail store holds proven (downloadedAt set) for a user. */
function savedUidls(page: Page, username: string): Promise<string[]> {
  return page.evaluate(
    (user) =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('webpop');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('messages').objectStore('messages').getAll();
          all.onsuccess = () => {
            const records = all.result as Array<{ account: string; uid: string; downloadedAt?: number }>;
            resolve(
              records
                .filter(
                  (record) => record.account === `server:pop3s|${user}` && record.downloadedAt !== undefined,
                )
                .map((record) => record.uid),
            );
            open.result.close();
          };
        };
      }),
    username,
  );
}

test('the tab closed mid-download: reopened, it finishes without downloading any saved UIDL again, and nothing is lost', async ({
  context,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.closer;
  const total = 40;
  const first = await context.newPage();
  const firstRelay = await relayPop3(first);
  await signIn(first, { server: 'pop3s', user });
  await chooseSettings(first, { serverCopy: 'Keep on the server' });
  // Some saved, not all: from here the server's bytes are held, and the tab is closed.
  await expect(deviceStatus(first)).toContainText(/\b([1-9]|[1-3]\d) of 40 saved on this device/);
  firstRelay.hold();
  await first.close();

  const second = await context.newPage();
  await second.goto('/');
  const savedBefore = await savedUidls(second, user.username);
  expect(savedBefore.length).toBeGreaterThan(0);
  expect(savedBefore.length).toBeLessThan(total);
  const secondRelay = await relayPop3(second);
  await signIn(second, { server: 'pop3s', user });
  await expect(deviceStatus(second)).toContainText('40 of 40 saved on this device');
  expect((await savedUidls(second, user.username)).sort()).toHaveLength(total);

  // Message numbers to UIDLs as Dovecot lists them (nothing was deleted: the same in every session).
  const client = await connectPop3({
    host: dovecot.host,
    port: dovecot.pop3Port,
    security: 'none',
    credentials: { username: user.username, password: user.password, method: 'user', allowPlaintext: true },
  });
  const uidOf = new Map((await client.messages()).map((entry) => [entry.number, entry.uid]));
  await client.quit();
  const refetched = secondRelay.retrs.map((number) => uidOf.get(number)!);
  // The reopened tab asked for each missing message once, and for none it had saved.
  expect(new Set(refetched).size).toBe(refetched.length);
  expect(refetched.filter((uid) => savedBefore.includes(uid))).toEqual([]);
  expect([...savedBefore, ...refetched].sort()).toEqual([...uidOf.values()].sort());
  // What the closed tab saved it had asked for; the server kept every message.
  expect(savedBefore.every((uid) => firstRelay.retrs.some((number) => uidOf.get(number) === uid))).toBe(true);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(total);
});
