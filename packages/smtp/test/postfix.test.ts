// A real MTA: a message submitted with this engine to testkit's Postfix (STARTTLS, AUTH checked by
// Dovecot against its users) lands in the Dovecot maildir and is then listed and read over POP3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPop3 } from '@webpop/pop3/node';
import {
  postfixAvailable,
  startSubmissionServers,
  type RunningDovecot,
  type RunningPostfix,
  type RunningSubmissionServers,
} from '@webpop/testkit';
import { SmtpServerError } from '../src/index.js';
import { connectSmtp } from '../src/node/index.js';

const alice = { username: 'alice', password: 'postfix-test-secret' };
let servers: RunningSubmissionServers;
let dovecot: RunningDovecot;
let postfix: RunningPostfix;

describe.skipIf(!postfixAvailable())('Postfix submission into Dovecot', () => {
  beforeAll(async () => {
    servers = await startSubmissionServers({ users: [alice] });
    ({ dovecot, postfix } = servers);
  }, 60_000);

  afterAll(async () => {
    await servers?.stop();
  });

  const submit = (password = alice.password) =>
    connectSmtp({
      host: '127.0.0.1',
      port: postfix.submissionPort,
      security: 'starttls',
      ca: postfix.caPem,
      credentials: { username: alice.username, password },
    });

  it('a submitted message is delivered to the maildir and listed by POP3', async () => {
    const to = postfix.address('alice');
    const body = `From: ${to}\r\nTo: ${to}\r\nSubject: through Postfix\r\n\r\n.a line with a dot\r\nbye\r\n`;
    const client = await submit();
    expect(client.capabilities?.has('PIPELINING')).toBe(true);
    const result = await client.send({ from: to, to: [to] }, new TextEncoder().encode(body));
    expect(result.accepted).toEqual([to]);
    expect(result.serverText).toMatch(/queued as/);
    await client.quit();

    // Delivery is asynchronous (the queue manager, then virtual(8)): wait for the file.
    await servers.delivered('alice');
    const pop3 = await connectPop3({
      host: '127.0.0.1',
      port: dovecot.pop3sPort,
      security: 'tls',
      ca: dovecot.caPem,
      credentials: alice,
    });
    expect(await pop3.list()).toHaveLength(1);
    const text = new TextDecoder().decode(await pop3.retr(1));
    expect(text).toContain('Subject: through Postfix\r\n');
    expect(text).toContain('\r\n\r\n.a line with a dot\r\nbye\r\n');
    await pop3.quit();
  });

  it('a wrong password is refused by Dovecot’s check (535)', async () => {
    const error = await submit('not-the-password').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpServerError);
    expect(error).toMatchObject({ code: 535, phase: 'auth' });
  });

  it('mail for other domains is refused at RCPT, never sent on', async () => {
    const client = await submit();
    const error = await client
      .send(
        { from: postfix.address('alice'), to: ['someone@example.org'] },
        new TextEncoder().encode('x\r\n'),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'recipients' });
    await client.quit();
  });
});
