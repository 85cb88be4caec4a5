// One mbox format for `webpop fetch --mbox` and the web app (issue 15): mboxrd quoting, a
// `From <Return-Path> <asctime>` line, and each message's bytes exactly as the server sent them (CRLF).
// A file the command wrote, imported and exported by the app, is the same file byte for byte; what the
// app downloaded and exports reads back in Python's mailbox module as the server's messages, with the
// same senders the command writes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { splitMbox } from '@webpop/mailfile';
import { corpusMessages, toCrlf, type RunningPop3Server } from '@webpop/testkit';
import { run, type Io } from 'webpop';
import { messageList } from '../support/app.js';
import { chooseSettings, deviceStatus } from '../support/keeping.js';
import { expect, signIn, test } from '../support/lab-test.js';
import { exportAs, importMessages, withoutSavePicker } from '../support/transfer.js';

/** Lines an mbox must quote (`From `, `>From `), and a Return-Path for the `From ` line. */
const quoting = Buffer.from(
  'Return-Path: <list-bounces@example.net>\r\nFrom: list@example.net\r\nSubject: quoting\r\n\r\n' +
    'From the top.\r\n>From quoted once.\r\n>>From twice.\r\nFrom\r\n',
);
// As a POP3 server sends them: CRLF (testkit's server makes a corpus file's bare LFs CRLF too).
const served = [...(await corpusMessages()).map(({ bytes }) => Buffer.from(toCrlf(bytes))), quoting];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const account = { username: 'demo', password: 'demo', messages: served };

let dir: string;
test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webpop-mbox-'));
});
test.afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `webpop fetch --mbox FILE` in this process, as a person would type it; returns the file. */
async function webpopFetch(server: RunningPop3Server): Promise<Buffer> {
  const mbox = join(dir, 'inbox.mbox');
  let said = '';
  const output = { write: (chunk: string | Uint8Array) => ((said += String(chunk)), true) };
  const io: Io = {
    stdout: output,
    stderr: output,
    stdin: new PassThrough(),
    env: { WEBPOP_PASSWORD: account.password, XDG_STATE_HOME: join(dir, 'state') },
    isTTY: false,
  };
  const args = ['--host', server.host, '--port', String(server.port), '--security', 'none'];
  const code = await run(['fetch', ...args, '--user', account.username, '--mbox', mbox], io);
  expect(code, said).toBe(0);
  return readFile(mbox);
}

test('an mbox `webpop fetch` wrote, imported and exported by the app, is the same file byte for byte', async ({
  page,
  lab,
}) => {
  const demo = await lab([{ id: 'demo', label: 'Demo mailbox', accounts: [account] }]);
  const written = await webpopFetch(demo.pop3('demo'));
  // The command's file holds the server's bytes, CRLF and all.
  expect(splitMbox(written).map(({ bytes }) => sha256(bytes))).toEqual(served.map(sha256));

  await withoutSavePicker(page);
  await signIn(page, demo, { server: 'demo', username: 'demo', password: 'demo' });
  await expect(messageList(page)).toHaveAttribute('aria-busy', 'false');
  await importMessages(
    page,
    [{ name: 'inbox.mbox', mimeType: 'application/mbox', bytes: written }],
    served.length,
  );
  const exported = await exportAs(page, 'mbox (one file, for mail programs)', served.length);
  expect(exported.bytes.length).toBe(written.length);
  expect(Buffer.from(exported.bytes).equals(written)).toBe(true);
});

test('the app’s export of what it downloaded reads back in Python’s mailbox as the server’s messages, with the command’s senders', async ({
  page,
  lab,
}) => {
  const demo = await lab([{ id: 'demo', label: 'Demo mailbox', accounts: [account] }]);
  await withoutSavePicker(page);
  await signIn(page, demo, { server: 'demo', username: 'demo', password: 'demo' });
  await chooseSettings(page, { serverCopy: 'Keep on the server' });
  await expect(deviceStatus(page)).toContainText(`${served.length} of ${served.length} saved on this device`);
  const exported = await exportAs(page, 'mbox (one file, for mail programs)', served.length);
  const file = join(dir, 'export.mbox');
  await writeFile(file, exported.bytes);

  // Python's mailbox finds the messages; mboxrd's one `>` taken off, each is the server's bytes.
  const python = execFileSync(
    'python3',
    [
      '-c',
      [
        'import hashlib, json, mailbox, re, sys',
        'box = mailbox.mbox(sys.argv[1])',
        "unquote = lambda raw: re.sub(rb'(?m)^>(>*From )', rb'\\1', raw)",
        "print(json.dumps([{'from': box.get_message(k).get_from().split(' ')[0], 'sha256': hashlib.sha256(unquote(box.get_bytes(k))).hexdigest()} for k in box.keys()]))",
      ].join('\n'),
      file,
    ],
    { encoding: 'utf8' },
  );
  const read = JSON.parse(python) as Array<{ from: string; sha256: string }>;
  expect(read.map((message) => message.sha256).sort()).toEqual(served.map(sha256).sort());

  // The command's file of the same mailbox: the same messages under the same senders (the dates are
  // each writer's time of saving).
  const bySender = (mbox: Uint8Array) =>
    splitMbox(mbox)
      .map(({ from, bytes }) => `${from.sender} ${sha256(bytes)}`)
      .sort();
  expect(bySender(exported.bytes)).toEqual(bySender(await webpopFetch(demo.pop3('demo'))));
  expect(read.find((message) => message.sha256 === sha256(quoting))?.from).toBe('list-bounces@example.net');
});
