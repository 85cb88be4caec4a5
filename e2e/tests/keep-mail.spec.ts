// Issue 15: the mail kept on this device and what happens to the server's copy, checked in the maildir.
import type { Page } from '@playwright/test';
import { connectPop3 } from '@webpop/pop3/node';
import { joinMbox, splitMbox } from '@webpop/mailfile';
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
  // The marks went with the session: the status no longer says they will be removed.
  await expect(deviceStatus(page)).not.toContainText('removed when the session ends');

  await page.getByRole('button', { name: 'Reconnect' }).click();
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  await signOut(page);
  await expect.poll(() => dovecot.maildirFiles(user.username)).toHaveLength(0);
});

test('the connection cut between RETR and DELE removes nothing and keeps the copies; the next session removes them without downloading again', async ({
  page,
  servers,
}) => {
  const { dovecot, users } = servers;
  const user = users.retrcutter;
  await persistence(page, true);
  const relay = await cutBeforeDele(page);
  await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Remove from the server once saved here' });
  await expect(page.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  // Cut after both RETRs, at the first DELE, which the server never received.
  expect(relay.cut()).toBe(true);
  expect(relay.retrs.sort()).toEqual([1, 2]);
  expect(relay.deles).toEqual([]);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
  // The local copies are whole and proven: both UIDLs saved, both readable.
  expect(await savedUidls(page, user.username, 'pop3s')).toHaveLength(2);

  await page.getByRole('button', { name: 'Reconnect' }).click();
  await expect(deviceStatus(page)).toContainText('2 of 2 saved on this device');
  await expect(deviceStatus(page)).toContainText('2 server copies are removed when the session ends');
  // The next session asked for nothing again: it only marked the proven copies.
  expect(relay.retrs.sort()).toEqual([1, 2]);
  expect(relay.deles.sort()).toEqual([1, 2]);
  expect(await dovecot.maildirFiles(user.username)).toHaveLength(2);
  await signOut(page);
  await expect.poll(() => dovecot.maildirFiles(user.username)).toHaveLength(0);

  const list = await signIn(page, { server: 'pop3s', user });
  await expect(row(list, 'Retrieved one')).toContainText('Kept only on this device');
  await row(list, 'Retrieved two').click();
  await expect(page.getByRole('region', { name: 'Message' })).toContainText('Body of Retrieved two.');
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

test("a folder other than the Inbox exported as mbox from the read-only saved mail: the server's bytes, byte for byte", async ({
  page,
  servers,
}) => {
  const { users } = servers;
  const user = users.exporter;
  await persistence(page, true);
  await withoutSavePicker(page);
  const list = await signIn(page, { server: 'pop3s', user });
  await chooseSettings(page, { serverCopy: 'Keep on the server' });
  await expect(deviceStatus(page)).toContainText('3 of 3 saved on this device');
  for (const subject of ['Archived one', 'Archived two']) {
    await row(list, subject).click();
    await page.getByRole('button', { name: 'Archive' }).click();
    await expect(row(list, subject)).toHaveCount(0);
  }
  await signOut(page);

  // Read-only, from the store: the Archive folder, exported as the folder shown.
  await page
    .getByRole('listitem', { name: /^exporter on / })
    .getByRole('button', { name: 'Open saved mail' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'read-only' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'Archive' }).click();
  await expect(row(list, 'Archived one')).toBeVisible();
  const archive = await exportAs(page, 'mbox (one file, for mail programs)', 2, 'Archive');
  expect(archive.name).toBe(`${user.username} Archive.mbox`);

  // Parsed back: the two archived messages, as the server sent them (oldest first), not the Inbox's.
  const parsed = splitMbox(archive.bytes);
  const sent = [messages.simple('Archived one', 21), messages.simple('Archived two', 23)];
  expect(
    parsed.map(({ bytes }) => Buffer.from(bytes).equals(sent[0]!) || Buffer.from(bytes).equals(sent[1]!)),
  ).toEqual([true, true]);
  const order = parsed.map(({ bytes }) => (Buffer.from(bytes).equals(sent[0]!) ? 0 : 1));
  expect([...order].sort()).toEqual([0, 1]);
  for (const { from } of parsed)
    expect(from.line).toMatch(/^From MAILER-DAEMON \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
  // And the whole file byte for byte: each From line, each message's bytes, mboxrd, the separators.
  expect(
    Buffer.from(
      joinMbox(
        parsed.map(({ from }, index) => ({
          envelope: { line: from.line, date: from.date ?? new Date(0) },
          bytes: sent[order[index]!]!,
        })),
      ),
    ).equals(Buffer.from(archive.bytes)),
  ).toBe(true);
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

/**
 * Every POP3 byte of a page's sessions passes through here, until the client first sends a DELE: that
 * message is not passed on, and both sides of the connection are closed (the link lost after the
 * RETRs, before any DELE). Later connections pass through untouched. Records the RETRs and DELEs.
 */
async function cutBeforeDele(page: Page): Promise<{ retrs: number[]; deles: number[]; cut: () => boolean }> {
  const retrs: number[] = [];
  const deles: number[] = [];
  let cut = false;
  await page.routeWebSocket(/\/pop3$/, (ws) => {
    const server = ws.connectToServer();
    let pending = '';
    ws.onMessage((message) => {
      if (typeof message !== 'string') {
        const lines = (pending + message.toString('latin1')).split('\r\n');
        pending = lines.pop() ?? '';
        const dele = lines.some((line) => /^DELE \d+$/.test(line));
        if (dele && !cut) {
          cut = true;
          void server.close();
          void ws.close();
          return;
        }
        for (const line of lines) {
          const retr = /^RETR (\d+)$/.exec(line);
          if (retr) retrs.push(Number(retr[1]));
          const deleted = /^DELE (\d+)$/.exec(line);
          if (deleted) deles.push(Number(deleted[1]));
        }
      }
      server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  return { retrs, deles, cut: () => cut };
}

/** The UIDLs the page's mail store holds proven (downloadedAt set) for a user. */
function savedUidls(page: Page, username: string, server = 'pop3s'): Promise<string[]> {
  return page.evaluate(
    ({ user, server }) =>
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
                  (record) =>
                    record.account === `server:${server}|${user}` && record.downloadedAt !== undefined,
                )
                .map((record) => record.uid),
            );
            open.result.close();
          };
        };
      }),
    { user: username, server },
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
