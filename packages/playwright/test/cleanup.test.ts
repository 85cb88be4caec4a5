import { afterEach, describe, expect, it } from 'vitest';
import type { RunningPop3Server } from '@webpop/testkit';
import { createMailbox } from '../src/mailbox.js';
import { mail } from './support/messages.js';
import { commands, startTestServer, username } from './support/server.js';

let server: RunningPop3Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const subjects = (running: RunningPop3Server) =>
  (running.accounts.get(username)?.messages ?? []).map(
    (message) => /Subject: (.*)\r\n/.exec(new TextDecoder().decode(message.bytes))?.[1],
  );

async function mailboxWithTwoReceived(cleanup?: 'consumed' | 'none' | 'all') {
  const started = await startTestServer([mail({ subject: 'Old' })]);
  server = started.server;
  const mailbox = await createMailbox({ ...started.mailboxOptions, cleanup });
  for (const subject of ['Code A', 'Other', 'Code B']) started.server.deliver(username, mail({ subject }));
  await mailbox.waitForMessage({ subject: 'code' });
  await mailbox.waitForMessage({ subject: 'code' });
  return { mailbox, running: started.server };
}

describe('cleanup', () => {
  it("'consumed' (the default) deletes what waitForMessage returned, committed with QUIT", async () => {
    const { mailbox, running } = await mailboxWithTwoReceived();
    expect(await mailbox.cleanup()).toBe(2);
    expect(subjects(running)).toEqual(['Old', 'Other']);
    const log = running.commandLog.map((entry) => entry.command);
    expect(log.slice(log.lastIndexOf('UIDL'))).toEqual(['UIDL', 'DELE 2', 'DELE 4', 'QUIT']);
    expect(await mailbox.cleanup()).toBe(0); // already gone
  });

  it("'all' empties the mailbox; 'none' leaves it", async () => {
    const all = await mailboxWithTwoReceived('all');
    expect(await all.mailbox.cleanup()).toBe(4);
    expect(subjects(all.running)).toEqual([]);
    await all.running.close();

    const none = await mailboxWithTwoReceived('none');
    expect(await none.mailbox.cleanup()).toBe(0);
    expect(subjects(none.running)).toEqual(['Old', 'Code A', 'Other', 'Code B']);
    expect(commands(none.running, 'DELE')).toEqual([]);
  });

  it('deleteAll() and delete(message) work on demand', async () => {
    const { mailbox, running } = await mailboxWithTwoReceived('none');
    const [first] = mailbox.received;
    expect(await mailbox.delete(first!)).toBe(1);
    expect(subjects(running)).toEqual(['Old', 'Other', 'Code B']);
    expect(await mailbox.deleteAll()).toBe(3);
    expect(subjects(running)).toEqual([]);
  });

  it('does not open a session when there is nothing to delete', async () => {
    const started = await startTestServer([mail()]);
    server = started.server;
    const mailbox = await createMailbox(started.mailboxOptions);
    const before = started.server.connectionCount;
    expect(await mailbox.cleanup()).toBe(0);
    expect(started.server.connectionCount).toBe(before);
  });
});
