// The interop quirks, byte for byte on the wire: what a client of such a server really receives.
import { describe, expect, it } from 'vitest';
import { MESSAGES, PASSWORD, startTestServer } from './support/server-fixture.js';

/** Logs in and sends `commands` then QUIT in one write; everything the server sent, as latin1. */
async function dialogue(
  connect: () => Promise<import('./support/raw-client.js').RawClient>,
  commands: string[],
): Promise<string> {
  const client = await connect();
  client.send([`USER alice`, `PASS ${PASSWORD}`, ...commands, 'QUIT'].map((line) => `${line}\r\n`).join(''));
  return (await client.readUntilClosed()).toString('latin1');
}

describe('quirks', () => {
  it('keepBareLf serves a message as delivered, stuffing dots only after CRLF (RFC 1939)', async () => {
    const message = Buffer.from('A: 1\r\n\r\nline a\n.b\r\n.c\n.\r\nend', 'latin1');
    const { connect } = await startTestServer({
      accounts: [{ username: 'alice', password: PASSWORD, messages: [message] }],
      quirks: { keepBareLf: true },
    });
    const wire = await dialogue(connect, ['LIST 1', 'RETR 1']);
    expect(wire).toContain(`+OK 1 ${message.length}\r\n`);
    expect(wire).toContain('\r\nA: 1\r\n\r\nline a\n.b\r\n..c\n.\r\nend\r\n.\r\n+OK');
  });

  it("lineEnding 'lf' ends every line in a bare LF, the terminator too", async () => {
    const { connect } = await startTestServer({ quirks: { lineEnding: 'lf' } });
    const wire = await dialogue(connect, ['RETR 2']);
    expect(wire).not.toContain('\r');
    expect(wire).toMatch(/^\+OK [^\n]*\n\+OK/);
    expect(wire).toContain('\nSubject: two\n\n..starts with a dot\n...two dots\nlast\n.\n+OK');
  });

  it('listSizes and uidl change what LIST and UIDL report', async () => {
    const { login } = await startTestServer({
      quirks: { listSizes: { 2: 7 }, uidl: { 2: 'same', 3: null } },
    });
    const client = await login();
    expect((await client.multiline('LIST')).body.toString()).toMatch(/^1 \d+\r\n2 7\r\n3 \d+\r\n$/);
    const uidl = (await client.multiline('UIDL')).body.toString();
    expect(uidl).toMatch(/^1 \w+\r\n2 same\r\n$/);
    expect(await client.command('UIDL 3')).toMatch(/^-ERR/);
    expect(MESSAGES).toHaveLength(3);
  });

  it('unlisted leaves capabilities out of CAPA, always or only before login', async () => {
    const { connect } = await startTestServer({
      quirks: { unlisted: { always: ['USER'], beforeLogin: ['TOP'] } },
    });
    const client = await connect();
    await client.readLine();
    const before = (await client.multiline('CAPA')).body.toString();
    expect(before).not.toMatch(/^(USER|TOP)$/m);
    await client.command('USER alice');
    expect(await client.command(`PASS ${PASSWORD}`)).toMatch(/^\+OK/);
    const after = (await client.multiline('CAPA')).body.toString();
    expect(after).toMatch(/^TOP\r$/m);
    expect(after).not.toMatch(/^USER/m);
  });

  it("saslInitialResponse 'challenge' ignores the initial response and asks for it; 'refuse' says -ERR", async () => {
    const response = Buffer.from(`\0alice\0${PASSWORD}`).toString('base64');
    const asking = await startTestServer({ quirks: { saslInitialResponse: 'challenge' } });
    const client = await asking.connect();
    await client.readLine();
    expect(await client.command(`AUTH PLAIN ${response}`)).toBe('+ ');
    expect(await client.command(response)).toMatch(/^\+OK/);
    const refusing = await startTestServer({ quirks: { saslInitialResponse: 'refuse' } });
    const other = await refusing.connect();
    await other.readLine();
    expect(await other.command(`AUTH PLAIN ${response}`)).toMatch(/^-ERR/);
    expect(await other.command('AUTH PLAIN')).toBe('+ ');
    expect(await other.command(response)).toMatch(/^\+OK/);
  });

  it('brokenSasl and noApopSecret refuse right credentials with -ERR [AUTH]', async () => {
    const { connect, server } = await startTestServer({
      quirks: { brokenSasl: ['PLAIN'], noApopSecret: ['alice'] },
    });
    const client = await connect();
    const greeting = await client.readLine();
    const response = Buffer.from(`\0alice\0${PASSWORD}`).toString('base64');
    expect(await client.command(`AUTH PLAIN ${response}`)).toMatch(/^-ERR \[AUTH\]/);
    const { apopDigest } = await import('../src/pop3-server/apop.js');
    const timestamp = /<[^>]+>/.exec(greeting)![0];
    expect(await client.command(`APOP alice ${apopDigest(timestamp, PASSWORD)}`)).toMatch(/^-ERR \[AUTH\]/);
    expect(server.commandLog.map((entry) => entry.command)).toEqual(['AUTH PLAIN ***', 'APOP alice ***']);
  });

  it('greeting sends its text as raw bytes and checks APOP against its timestamp', async () => {
    const { connect } = await startTestServer({
      quirks: { greeting: { text: 'hi <\u00fc@x> <1@a.b>', apopTimestamp: '<1@a.b>' } },
    });
    const client = await connect();
    const { apopDigest } = await import('../src/pop3-server/apop.js');
    expect(await client.readLine()).toMatch(/^\+OK hi <.+@x> <1@a\.b>$/);
    expect(await client.command(`APOP alice ${apopDigest('<1@a.b>', PASSWORD)}`)).toMatch(/^\+OK/);
  });

  it('quitCloses commits the deletions and closes without +OK', async () => {
    const { login, server } = await startTestServer({ quirks: { quitCloses: true } });
    const client = await login();
    expect(await client.command('DELE 1')).toMatch(/^\+OK/);
    client.send('QUIT\r\n');
    expect((await client.readUntilClosed()).length).toBe(0);
    expect(server.accounts.get('alice')!.messages).toHaveLength(2);
  });
});
