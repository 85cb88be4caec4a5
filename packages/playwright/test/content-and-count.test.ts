// Content criteria (RETR only what the headers let through), waitForMessages, expectNoMessage,
// per-test addresses and the poll schedule.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningPop3Server } from '@webpop/testkit';
import { createMailbox, Mailbox } from '../src/mailbox.js';
import { pollDelay } from '../src/poll-schedule.js';
import { MailboxTimeoutError } from '../src/timeout-error.js';
import { UnexpectedMessageError } from '../src/unexpected-message-error.js';
import { mail } from './support/messages.js';
import { rejectionOf } from './support/rejection.js';
import { commands, later, startTestServer, username } from './support/server.js';

let server: RunningPop3Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function openMailbox(options: ConstructorParameters<typeof Mailbox>[0] = {}) {
  const started = await startTestServer();
  server = started.server;
  const mailbox = await createMailbox({ ...started.mailboxOptions, ...options });
  const deliver = (...messages: Uint8Array[]) => {
    for (const message of messages) started.server.deliver(username, message);
  };
  return { mailbox, deliver, running: started.server };
}

describe('content criteria', () => {
  it('RETR only the messages whose headers match, each once per wait', async () => {
    const { mailbox, deliver, running } = await openMailbox();
    deliver(
      mail({ subject: 'Welcome', text: 'code 1111' }), // 1: headers do not match
      mail({ subject: 'Your code', text: 'nothing yet' }), // 2: headers match, text does not
    );
    later(200, () => deliver(mail({ subject: 'Your code', text: 'code 2222' }))); // 3
    const message = await mailbox.waitForMessage({ subject: 'your code', text: /code \d+/ });
    expect(message.code()).toBe('2222');
    expect(commands(running, 'RETR')).toEqual(['RETR 2', 'RETR 3']);
    // The rejected message is free for a later wait with other criteria.
    expect((await mailbox.waitForMessage({ subject: 'your code', text: 'nothing' })).uid).not.toBe(
      message.uid,
    );
  });

  it('html matches the HTML source (never a text-only mail); match is any predicate', async () => {
    const { mailbox, deliver } = await openMailbox();
    deliver(
      mail({ subject: 'a', text: 'Confirm <b>here</b>' }),
      mail({ subject: 'b', html: '<p>Confirm <b>here</b></p>' }),
      mail({ subject: 'c', html: '<p>x</p>', text: 'plain', extraHeaders: ['X-Kind: receipt'] }),
    );
    expect((await mailbox.waitForMessage({ html: '<b>here</b>' })).subject).toBe('b');
    const isReceipt = (message: { headers: Map<string, unknown> }) =>
      message.headers.get('x-kind') === 'receipt';
    expect((await mailbox.waitForMessage({ match: isReceipt })).subject).toBe('c');
  });

  it('a timeout says which messages passed the headers but not the content', async () => {
    const { mailbox, deliver } = await openMailbox();
    deliver(
      mail({
        subject: 'Your code',
        to: 'x@example.test',
        text: 'soon',
        date: 'Wed, 02 Jul 2025 08:00:00 +0000',
      }),
    );
    const error = await rejectionOf<MailboxTimeoutError>(
      mailbox.waitForMessage({ subject: 'code', text: /\d{6}/, timeout: 300 }),
    );
    expect(error.message).toContain(
      'no message (subject containing "code" and text matching /\\d{6}/) arrived',
    );
    expect(error.message).toContain(
      '  - subject: "Your code", from: "App <noreply@app.test>", to: "x@example.test", ' +
        'date: 2025-07-02T08:00:00.000Z (its headers matched; its content did not)',
    );
  });
});

describe('waitForMessages', () => {
  it('returns n matching messages, oldest first, and waits for the rest', async () => {
    const { mailbox, deliver } = await openMailbox();
    deliver(mail({ subject: 'Item 1' }), mail({ subject: 'Other' }));
    later(200, () => deliver(mail({ subject: 'Item 2' }), mail({ subject: 'Item 3' })));
    const messages = await mailbox.waitForMessages(2, { subject: 'item' });
    expect(messages.map((message) => message.subject)).toEqual(['Item 1', 'Item 2']);
    expect((await mailbox.waitForMessages(1, { subject: 'item' }))[0]?.subject).toBe('Item 3');
  });

  it('times out saying how many of them came', async () => {
    const { mailbox, deliver } = await openMailbox();
    deliver(mail({ subject: 'Item 1' }));
    const error = await rejectionOf<MailboxTimeoutError>(
      mailbox.waitForMessages(3, { subject: 'item', timeout: 300 }),
    );
    expect(error).toBeInstanceOf(MailboxTimeoutError);
    expect(error.foundCount).toBe(1);
    expect(error.message).toMatch(
      /^waitForMessages: 1 of 3 messages \(subject containing "item"\) arrived in /,
    );
    expect(error.message).toContain('No other message arrived.');
    await expect(mailbox.waitForMessages(0)).rejects.toThrow(RangeError);
  });
});

describe('expectNoMessage', () => {
  it('resolves when nothing matching arrives within the window, polling to its end', async () => {
    const { mailbox, deliver, running } = await openMailbox();
    deliver(mail({ subject: 'Newsletter' }));
    const before = running.connectionCount;
    await mailbox.expectNoMessage({ subject: 'password reset' }, { within: 300 });
    // Polls through the window and once more at its end.
    expect(running.connectionCount - before).toBeGreaterThanOrEqual(2);
  });

  it('rejects showing the message that came and what else arrived; it counts as received', async () => {
    const { mailbox, deliver } = await openMailbox();
    deliver(
      mail({ subject: 'Weekly digest', to: 'all@example.test', date: 'Wed, 02 Jul 2025 08:00:00 +0000' }),
    );
    later(100, () =>
      deliver(
        mail({ subject: 'Password reset', to: 'bob@example.test', date: 'Wed, 02 Jul 2025 08:00:01 +0000' }),
      ),
    );
    const error = await rejectionOf<UnexpectedMessageError>(
      mailbox.expectNoMessage({ subject: /reset/i }, { within: 2_000 }),
    );
    expect(error).toBeInstanceOf(UnexpectedMessageError);
    expect(error.message.split('\n')).toEqual([
      expect.stringMatching(
        /^expectNoMessage: a message \(subject matching \/reset\/i\) arrived in alice@127\.0\.0\.1:\d+ within 2000 ms:$/,
      ),
      '  - subject: "Password reset", from: "App <noreply@app.test>", to: "bob@example.test", date: 2025-07-02T08:00:01.000Z',
      '1 other message arrived, not matching:',
      '  - subject: "Weekly digest", from: "App <noreply@app.test>", to: "all@example.test", date: 2025-07-02T08:00:00.000Z',
    ]);
    expect(mailbox.received).toEqual([error.received]);
    expect(await mailbox.cleanup()).toBe(1);
  });
});

describe('per-test addresses', () => {
  it('address(tag) is a plus-address unique to the test and mailbox, the same for the same tag', () => {
    const scope = { testId: 'abc-123', repeatEachIndex: 0, retry: 0 };
    const mailbox = new Mailbox({ username: 'signup', address: 'signup+old@mail.test' }, scope);
    const plain = mailbox.address();
    expect(plain).toMatch(/^signup\+[0-9a-f]{10}@mail\.test$/);
    expect(mailbox.address()).toBe(plain);
    expect(mailbox.address('Admin User!')).toMatch(/^signup\+admin-user-[0-9a-f]{10}@mail\.test$/);
    // Another Mailbox for the same test (a retry, a parallel run) gets another address.
    expect(new Mailbox({ username: 'signup@mail.test' }, scope).address()).not.toBe(plain);
    expect(() => new Mailbox({ username: 'signup' }).address()).toThrow(/set use\.mailbox\.address/);
    // The local part stays within 64 octets.
    const long = new Mailbox({ username: 'u@x.test' }).address('t'.repeat(100));
    expect(long.split('@')[0]!.length).toBeLessThanOrEqual(64);
  });

  it("`to` defaults to the test's addresses once it asked for one; null takes anyone", async () => {
    const { mailbox, deliver } = await openMailbox({ address: 'alice@example.test' });
    const mine = mailbox.address();
    const admin = mailbox.address('admin');
    deliver(
      mail({ subject: 'Code', to: 'alice+someone-else@example.test', text: '1111' }),
      mail({ subject: 'Code', to: `"Me" <${mine.toUpperCase()}>`, text: '2222' }),
      mail({ subject: 'Code', cc: admin, text: '3333' }),
    );
    expect((await mailbox.waitForMessage({ subject: 'code' })).code()).toBe('2222');
    expect((await mailbox.waitForMessage({ subject: 'code' })).code()).toBe('3333');
    const error = await rejectionOf(mailbox.waitForMessage({ subject: 'code', timeout: 200 }));
    expect(error.message).toContain(`(to one of ${mine}, ${admin} and subject containing "code")`);
    expect((await mailbox.waitForMessage({ subject: 'code', to: null })).code()).toBe('1111');
  });
});

describe('the poll schedule', () => {
  it('starts at 100 ms and doubles up to pollInterval', () => {
    expect([0, 1, 2, 3, 4, 5, 60].map((attempt) => pollDelay(attempt, 1_000))).toEqual([
      100, 200, 400, 800, 1_000, 1_000, 1_000,
    ]);
    expect(pollDelay(0, 30)).toBe(30);
  });
});
