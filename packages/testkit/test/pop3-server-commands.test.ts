import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toCrlf } from '../src/bytes/crlf.js';
import { MESSAGES, PASSWORD, startTestServer } from './support/server-fixture.js';

const crlf = MESSAGES.map((message) => Buffer.from(toCrlf(message)));

describe('greeting, CAPA and login', () => {
  it('greets with an APOP timestamp and lists its capabilities', async () => {
    const { connect } = await startTestServer();
    const client = await connect();
    expect(await client.readLine()).toMatch(/^\+OK .*<\d+\.\d+\.\d+@webpop-testkit>$/);
    const { status, body } = await client.multiline('CAPA');
    expect(status).toMatch(/^\+OK/);
    expect(body.toString().split('\r\n').filter(Boolean)).toEqual([
      'TOP',
      'UIDL',
      'USER',
      'PIPELINING',
      'RESP-CODES',
      'AUTH-RESP-CODE',
      'SASL PLAIN LOGIN CRAM-MD5',
      'IMPLEMENTATION webpop-testkit',
    ]);
  });

  it('lists only the features that are on, and answers -ERR to CAPA when it is off', async () => {
    const { connect } = await startTestServer({
      features: {
        top: false,
        uidl: false,
        respCodes: false,
        pipelining: false,
        sasl: ['XOAUTH2'],
        apop: false,
      },
    });
    const client = await connect();
    expect(await client.readLine()).toBe('+OK webpop-testkit POP3 server ready');
    const { body } = await client.multiline('capa');
    expect(body.toString()).toBe('USER\r\nSASL XOAUTH2\r\nIMPLEMENTATION webpop-testkit\r\n');
    expect(await client.command('APOP alice 0123456789abcdef0123456789abcdef')).toMatch(/^-ERR/);

    const { connect: connectOld } = await startTestServer({ features: { capa: false } });
    const old = await connectOld();
    await old.readLine();
    expect(await old.command('CAPA')).toMatch(/^-ERR/);
  });

  it('logs in with USER/PASS (passwords may contain spaces) and refuses a wrong password with [AUTH]', async () => {
    const { connect } = await startTestServer();
    const client = await connect();
    await client.readLine();
    expect(await client.command('PASS x')).toMatch(/^-ERR/);
    expect(await client.command('USER alice')).toMatch(/^\+OK/);
    expect(await client.command('PASS wrong')).toBe('-ERR [AUTH] Authentication failed');
    expect(await client.command('STAT')).toMatch(/^-ERR/);
    await client.command('user alice');
    expect(await client.command(`pass ${PASSWORD}`)).toMatch(/^\+OK Logged in, 3 messages/);
    expect(await client.command('USER alice')).toMatch(/^-ERR .*TRANSACTION/);
  });

  it('logs in with APOP', async () => {
    const { connect } = await startTestServer();
    const client = await connect();
    const timestamp = /<[^>]+>/.exec(await client.readLine())?.[0] ?? '';
    const digest = (password: string) =>
      createHash('md5')
        .update(timestamp + password)
        .digest('hex');
    expect(await client.command(`APOP alice ${digest('nope')}`)).toBe('-ERR [AUTH] Authentication failed');
    expect(await client.command(`APOP alice ${digest(PASSWORD)}`)).toMatch(/^\+OK/);
  });

  it('answers unknown commands and bad arguments with -ERR', async () => {
    const { login } = await startTestServer();
    const client = await login();
    for (const command of [
      'FOO',
      'RETR',
      'RETR x',
      'RETR 0',
      'RETR 4',
      'RETR -1',
      'TOP 1',
      'TOP 1 x',
      'LIST 1 2',
      'STAT 1',
      'DELE',
    ]) {
      expect(await client.command(command), command).toMatch(/^-ERR /);
    }
    expect(await client.command('NOOP')).toBe('+OK NOOP');
  });

  it('records commands with PASS, APOP and AUTH secrets masked', async () => {
    const { server, connect } = await startTestServer();
    const client = await connect();
    await client.readLine();
    await client.command('USER alice');
    await client.command(`PASS ${PASSWORD}`);
    await client.command('QUIT');
    expect(server.commandLog).toEqual([
      { connection: 1, command: 'USER alice' },
      { connection: 1, command: 'PASS ***' },
      { connection: 1, command: 'QUIT' },
    ]);
    expect(JSON.stringify(server.commandLog)).not.toContain(PASSWORD);
  });
});

describe('TRANSACTION commands', () => {
  it('STAT, LIST and UIDL count octets of the CRLF form', async () => {
    const { login } = await startTestServer();
    const client = await login();
    const total = crlf.reduce((sum, m) => sum + m.length, 0);
    expect(await client.command('STAT')).toBe(`+OK 3 ${total}`);
    const list = await client.multiline('LIST');
    expect(list.status).toBe(`+OK 3 messages (${total} octets)`);
    expect(list.body.toString()).toBe(crlf.map((m, i) => `${i + 1} ${m.length}\r\n`).join(''));
    expect(await client.command('LIST 2')).toBe(`+OK 2 ${crlf[1]!.length}`);

    const uidl = await client.multiline('UIDL');
    const uids = uidl.body
      .toString()
      .trim()
      .split('\r\n')
      .map((line) => line.split(' ')[1]);
    expect(new Set(uids).size).toBe(3);
    for (const uid of uids) expect(uid).toMatch(/^[\x21-\x7e]{1,70}$/);
    expect(await client.command('UIDL 3')).toBe(`+OK 3 ${uids[2]}`);
  });

  it('RETR returns the message dot-stuffed, ending in CRLF', async () => {
    const { login } = await startTestServer();
    const client = await login();
    client.send('RETR 2\r\n');
    expect(await client.readLine()).toBe(`+OK ${crlf[1]!.length} octets`);
    const raw = await client.readUntilTerminator();
    expect(raw.toString()).toBe(
      'From: b@example.com\r\nSubject: two\r\n\r\n..starts with a dot\r\n...two dots\r\nlast\r\n.\r\n',
    );
    const retr3 = await client.multiline('RETR 3');
    expect(retr3.body.toString()).toBe(`${crlf[2]!.toString()}\r\n`);
  });

  it('TOP returns the headers, the blank line and n body lines', async () => {
    const { login } = await startTestServer();
    const client = await login();
    expect((await client.multiline('TOP 1 0')).body.toString()).toBe(
      'From: a@example.com\r\nSubject: one\r\n\r\n',
    );
    expect((await client.multiline('TOP 1 1')).body.toString()).toBe(
      'From: a@example.com\r\nSubject: one\r\n\r\nfirst body\r\n',
    );
    expect((await client.multiline('TOP 2 1')).body.toString()).toBe(
      'From: b@example.com\r\nSubject: two\r\n\r\n.starts with a dot\r\n',
    );
    expect((await client.multiline('TOP 1 100')).body.equals(crlf[0]!)).toBe(true);
  });

  it('DELE hides a message, RSET brings it back', async () => {
    const { login } = await startTestServer();
    const client = await login();
    expect(await client.command('DELE 1')).toBe('+OK Message 1 deleted');
    expect(await client.command('DELE 1')).toMatch(/^-ERR/);
    expect(await client.command('RETR 1')).toMatch(/^-ERR/);
    expect(await client.command('STAT')).toMatch(/^\+OK 2 /);
    expect((await client.multiline('LIST')).body.toString()).not.toMatch(/^1 /m);
    expect(await client.command('RSET')).toMatch(/^\+OK/);
    expect(await client.command('STAT')).toMatch(/^\+OK 3 /);
    await client.command('QUIT');
  });

  it('DELE + QUIT commits; a dropped connection does not', async () => {
    const { server, login } = await startTestServer();
    const uidOf2 = server.accounts.get('alice')!.messages[1]!.uid;

    const dropped = await login();
    await dropped.command('DELE 3');
    dropped.close();

    const client = await login();
    expect(await client.command('STAT')).toMatch(/^\+OK 3 /);
    await client.command('DELE 1');
    expect(await client.command('QUIT')).toBe('+OK webpop-testkit signing off (2 messages left)');
    expect(await client.closesWithin(1000)).toBe(true);

    const later = await login();
    expect(await later.command('STAT')).toMatch(/^\+OK 2 /);
    // UIDs stay stable when messages before them go away.
    expect(await later.command('UIDL 1')).toBe(`+OK 1 ${uidOf2}`);
  });

  it('answers pipelined commands in order, all sent in one write', async () => {
    const { connect } = await startTestServer();
    const client = await connect();
    await client.readLine();
    client.send(
      `USER alice\r\nPASS ${PASSWORD}\r\nSTAT\r\nLIST\r\nRETR 1\r\nNOOP\r\nBOGUS\r\nUIDL 2\r\nQUIT\r\n`,
    );
    expect(await client.readLine()).toMatch(/^\+OK/);
    expect(await client.readLine()).toMatch(/^\+OK Logged in/);
    expect(await client.readLine()).toMatch(/^\+OK 3 /);
    expect(await client.readLine()).toMatch(/^\+OK 3 messages/);
    expect((await client.readMultilineBody()).toString()).toMatch(/^1 \d+\r\n2 \d+\r\n3 \d+\r\n$/);
    expect(await client.readLine()).toMatch(/^\+OK \d+ octets/);
    expect((await client.readMultilineBody()).equals(crlf[0]!)).toBe(true);
    expect(await client.readLine()).toBe('+OK NOOP');
    expect(await client.readLine()).toMatch(/^-ERR/);
    expect(await client.readLine()).toMatch(/^\+OK 2 /);
    expect(await client.readLine()).toMatch(/^\+OK .*signing off/);
    expect(await client.closesWithin(1000)).toBe(true);
  });

  it('sees messages delivered after login only in the next session', async () => {
    const { server, login } = await startTestServer();
    const client = await login();
    server.deliver('alice', Buffer.from('Subject: new\n\nhello\n'));
    expect(await client.command('STAT')).toMatch(/^\+OK 3 /);
    await client.command('QUIT');
    const next = await login();
    expect(await next.command('STAT')).toMatch(/^\+OK 4 /);
    expect((await next.multiline('RETR 4')).body.toString()).toBe('Subject: new\r\n\r\nhello\r\n');
  });

  it('with lockMailbox, a second concurrent login gets [IN-USE] until the first quits', async () => {
    const { connect, login } = await startTestServer({ features: { lockMailbox: true } });
    const first = await login();
    const second = await connect();
    await second.readLine();
    await second.command('USER alice');
    expect(await second.command(`PASS ${PASSWORD}`)).toBe(
      '-ERR [IN-USE] Mailbox is locked by another session',
    );
    await first.command('QUIT');
    await first.closesWithin(1000);
    await second.command('USER alice');
    expect(await second.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK/);
  });

  it('QUIT before login just closes', async () => {
    const { server, connect } = await startTestServer();
    const client = await connect();
    await client.readLine();
    expect(await client.command('QUIT')).toMatch(/^\+OK/);
    expect(await client.closesWithin(1000)).toBe(true);
    expect(server.connectionCount).toBe(1);
    await expect.poll(() => server.openConnections).toBe(0);
  });
});
