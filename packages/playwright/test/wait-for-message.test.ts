import { afterEach, describe, expect, it } from 'vitest';
import type { RunningPop3Server } from '@webpop/testkit';
import { MailboxCancelledError } from '../src/errors.js';
import { createMailbox, Mailbox } from '../src/mailbox.js';
import { MailboxTimeoutError } from '../src/timeout-error.js';
import { mail } from './support/messages.js';
import { rejectionOf } from './support/rejection.js';
import { commands, later, startTestServer, username } from './support/server.js';

let server: RunningPop3Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('waitForMessage', () => {
  it('polls until a matching message arrives: TOP only for new messages, RETR only the match', async () => {
    const started = await startTestServer([mail({ subject: 'Old 1' }), mail({ subject: 'Old 2' })]);
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    later(100, () => started.server.deliver(username, mail({ subject: 'Newsletter' })));
    later(300, () => started.server.deliver(username, mail({ subject: 'Your code', text: 'Code: 314159' })));

    const message = await mailbox.waitForMessage({ subject: 'your code' });

    expect(message.subject).toBe('Your code');
    expect(message.code()).toBe('314159');
    expect(commands(started.server, 'TOP')).toEqual(['TOP 3 0', 'TOP 4 0']);
    expect(commands(started.server, 'RETR')).toEqual(['RETR 4']);
    expect(commands(started.server, 'QUIT').length).toBe(started.server.connectionCount);
    expect(started.server.openConnections).toBe(0);
  });

  it('fetches the headers of several new messages in one pipelined session', async () => {
    const started = await startTestServer();
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    for (const subject of ['a', 'b', 'c', 'wanted']) started.server.deliver(username, mail({ subject }));
    await mailbox.waitForMessage({ subject: 'wanted' });
    const polls = started.server.commandLog.filter((entry) => entry.command.startsWith('TOP'));
    expect(polls.map((entry) => entry.command)).toEqual(['TOP 1 0', 'TOP 2 0', 'TOP 3 0', 'TOP 4 0']);
    expect(new Set(polls.map((entry) => entry.connection)).size).toBe(1);
  });

  it('ignores what was there when the mailbox was opened, unless includeExisting', async () => {
    const started = await startTestServer([mail({ subject: 'Reset your password', text: 'Code 1111' })]);
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    await expect(mailbox.waitForMessage({ subject: 'reset', timeout: 200 })).rejects.toThrow(
      MailboxTimeoutError,
    );
    const message = await mailbox.waitForMessage({ subject: 'reset', includeExisting: true });
    expect(message.code()).toBe('1111');
    // A Mailbox made with `new` has not looked at the mailbox yet, so everything counts as new.
    const fresh = new Mailbox(started.mailboxOptions);
    expect((await fresh.waitForMessage({ subject: 'reset' })).code()).toBe('1111');
  });

  it('never returns a message twice: the next wait gets the next match', async () => {
    const started = await startTestServer();
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    started.server.deliver(username, mail({ to: 'a@example.test', text: 'first 1001' }));
    started.server.deliver(username, mail({ to: 'b@example.test', text: 'other 2002' }));
    started.server.deliver(username, mail({ to: 'a@example.test', text: 'second 3003' }));
    const [one, two] = await Promise.all([
      mailbox.waitForMessage({ to: 'a@example.test' }),
      mailbox.waitForMessage({ to: 'a@example.test' }),
    ]);
    expect([one.code(), two.code()].sort()).toEqual(['1001', '3003']);
    expect((await mailbox.waitForMessage({ to: /^b@/ })).code()).toBe('2002');
    expect(mailbox.received.map((message) => message.code()).sort()).toEqual(['1001', '2002', '3003']);
  });

  it('skips messages dated before `since`', async () => {
    const started = await startTestServer();
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    const since = new Date();
    started.server.deliver(
      username,
      mail({ subject: 'Code', date: 'Mon, 01 Jan 2024 10:00:00 +0000', text: '1234' }),
    );
    later(100, () => started.server.deliver(username, mail({ subject: 'Code', text: '5678' })));
    expect((await mailbox.waitForMessage({ subject: 'code', since })).code()).toBe('5678');
  });

  it('times out with the criteria and every message that arrived', async () => {
    const started = await startTestServer([mail({ subject: 'Old' })]);
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    started.server.deliver(
      username,
      mail({ subject: 'Taken', to: 'x@example.test', date: 'Wed, 02 Jul 2025 08:00:00 +0000' }),
    );
    await mailbox.waitForMessage({ subject: 'taken' });
    started.server.deliver(
      username,
      mail({
        subject: '=?UTF-8?Q?Willkommen_=C3=BCberall?=',
        from: 'Acme <noreply@acme.test>',
        to: 'bob@example.test',
        cc: 'carol@example.test',
        date: 'Wed, 02 Jul 2025 08:00:01 +0000',
      }),
    );
    later(100, () =>
      started.server.deliver(
        username,
        mail({ subject: 'No date', from: 'x@y.test', to: 'z@y.test', date: null }),
      ),
    );
    const error = await rejectionOf<MailboxTimeoutError>(
      mailbox.waitForMessage({ subject: /password reset/i, to: 'bob@', timeout: 400, pollInterval: 50 }),
    );
    expect(error).toBeInstanceOf(MailboxTimeoutError);
    const [headline, ...rest] = error.message.split('\n');
    expect(headline).toMatch(
      new RegExp(
        `^waitForMessage: no message \\(to containing "bob@" and subject matching /password reset/i\\) ` +
          `arrived in alice@127\\.0\\.0\\.1:${started.server.port} within 400 ms \\(\\d+ polls\\)\\.$`,
      ),
    );
    expect(rest).toEqual([
      '2 other messages arrived, none matched:',
      '  - subject: "Willkommen überall", from: "Acme <noreply@acme.test>", ' +
        'to: "bob@example.test, carol@example.test", date: 2025-07-02T08:00:01.000Z',
      '  - subject: "No date", from: "x@y.test", to: "z@y.test", date: (no date)',
      'Not considered: 1 message already in the mailbox when it was opened (pass includeExisting: true to consider them).',
      'Not considered: 1 message returned by an earlier waitForMessage.',
    ]);
    expect(error.arrived.map((message) => message.subject)).toEqual(['Willkommen überall', 'No date']);
  });

  it('says so when nothing arrived at all', async () => {
    const started = await startTestServer();
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    await expect(mailbox.waitForMessage({ timeout: 100 })).rejects.toThrow(
      /^waitForMessage: no message \(any message\) arrived in .* within 100 ms \(\d+ polls?\)\.\nNo other message arrived\.$/,
    );
  });

  it('works without UIDL, recognising messages by their headers', async () => {
    const started = await startTestServer([mail({ subject: 'Old code', text: '1111' })], {
      features: { uidl: false },
    });
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    later(100, () => started.server.deliver(username, mail({ subject: 'New code', text: '2222' })));
    const message = await mailbox.waitForMessage({ subject: 'code' });
    expect(message.code()).toBe('2222');
    expect(message.uid).toMatch(/^sha256:[0-9a-f]{64}:\d+$/);
    expect(await mailbox.deleteReceived()).toBe(1);
    expect(started.server.accounts.get(username)?.messages.length).toBe(1);
  });

  it('polls again after a dropped connection', async () => {
    const started = await startTestServer([], {
      faults: { dropAfterCommand: { command: 'UIDL', after: 2 } },
    });
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions); // UIDL #1
    started.server.deliver(username, mail({ subject: 'After the drop', text: '4242' }));
    expect((await mailbox.waitForMessage({ subject: 'after the drop' })).code()).toBe('4242');
  });

  it('keeps polling while the mailbox is busy, and names the last error when it times out', async () => {
    const started = await startTestServer([], { faults: { loginError: 'IN-USE' } });
    server = started.server;
    const mailbox = new Mailbox(started.mailboxOptions);
    const error = await rejectionOf<MailboxTimeoutError>(
      mailbox.waitForMessage({ subject: 'x', timeout: 300, pollInterval: 50 }),
    );
    expect(error).toBeInstanceOf(MailboxTimeoutError);
    // At least two polls: it kept polling (each is a refused login; on a loaded machine 300 ms holds
    // fewer of them than on a quiet one).
    expect(Number(/\((\d+) polls\)/.exec(error.message)?.[1])).toBeGreaterThanOrEqual(2);
    expect(error.message).toContain('Last error while polling: AUTH CRAM-MD5: server said -ERR [IN-USE]');
  });

  it('cuts a poll that hangs at the deadline', async () => {
    const started = await startTestServer([], { faults: { stallOn: 'UIDL' } });
    server = started.server;
    const mailbox = new Mailbox({ ...started.mailboxOptions, commandTimeout: 30_000 });
    // Cut at 300 ms, not at the 30 s command timeout (the test's own timeout).
    await expect(mailbox.waitForMessage({ timeout: 300 })).rejects.toThrow(
      /no message \(any message\) arrived .* within 300 ms \(1 poll\)/,
    );
    await expect.poll(() => started.server.openConnections).toBe(0);
  });

  it('fails at once on an error that polling again cannot fix', async () => {
    const started = await startTestServer();
    server = started.server;
    const mailbox = new Mailbox({ ...started.mailboxOptions, password: 'wrong', timeout: 10_000 });
    const error = await rejectionOf(mailbox.waitForMessage({ subject: 'x' }));
    expect(error.message).toMatch(/\[AUTH\]/);
    // The error names the user and the host, never the password.
    expect(error.message).toMatch(
      /^mailbox: alice@127\.0\.0\.1:\d+ refused the login of "alice" \(AUTH CRAM-MD5: /,
    );
    expect(error.message).toContain('Check the username and the password');
    expect(error.message).not.toContain('wrong');
    // One attempt, no second poll.
    expect(started.server.connectionCount).toBe(1);
  });

  it('stops waiting when cancelled (as the fixture does when a test ends)', async () => {
    const started = await startTestServer();
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    // A timeout beyond the test's own: only the cancellation can end this wait in time.
    const waiting = mailbox.waitForMessage({ subject: 'never', timeout: 600_000 });
    later(100, () => mailbox.cancelPendingWaits());
    await expect(waiting).rejects.toThrow(MailboxCancelledError);
  });
});
