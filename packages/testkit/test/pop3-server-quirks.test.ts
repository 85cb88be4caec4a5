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
});
