import { describe, expect, it } from 'vitest';
import { toCrlf } from '../src/bytes/crlf.js';
import { corpusMessages } from '../src/demo/corpus.js';
import { MESSAGES, PASSWORD, startTestServer } from './support/server-fixture.js';

describe('faults', () => {
  it("greeting: 'err' sends -ERR [SYS/TEMP] and closes", async () => {
    const { connect } = await startTestServer({ faults: { greeting: 'err' } });
    const client = await connect();
    expect((await client.readUntilClosed()).toString()).toMatch(/^-ERR \[SYS\/TEMP\] .*\r\n$/);
  });

  it("greeting: 'close' greets normally, then closes", async () => {
    const { connect } = await startTestServer({ faults: { greeting: 'close' } });
    const client = await connect();
    expect((await client.readUntilClosed()).toString()).toMatch(/^\+OK .*\r\n$/);
  });

  it('dropAfterCommand drops the connection without an answer, once, on the nth occurrence', async () => {
    const { login } = await startTestServer({ faults: { dropAfterCommand: { command: 'STAT', after: 2 } } });
    const client = await login();
    expect(await client.command('STAT')).toMatch(/^\+OK 3/);
    client.send('STAT\r\n');
    expect((await client.readUntilClosed()).length).toBe(0);
    const again = await login();
    expect(await again.command('STAT')).toMatch(/^\+OK 3/);
  });

  it('dropAfterCommand with midResponseBytes sends part of the response', async () => {
    const { login } = await startTestServer({
      faults: { dropAfterCommand: { command: 'retr', midResponseBytes: 20 } },
    });
    const client = await login();
    client.send('RETR 1\r\n');
    const received = await client.readUntilClosed();
    expect(received.length).toBe(20);
    expect(received.toString()).toBe(`+OK ${toCrlf(MESSAGES[0]!).length} octets\r\nFrom: `.slice(0, 20));
  });

  it('stallOn reads the command and never answers', async () => {
    const { server, login } = await startTestServer({ faults: { stallOn: 'LIST' } });
    const client = await login();
    client.send('LIST\r\nSTAT\r\n');
    await expect(client.readLine(300)).rejects.toThrow(/timed out/);
    expect(server.commandLog.map((entry) => entry.command)).toContain('LIST');
  });

  it('errOnTop fails TOP while CAPA still advertises it', async () => {
    const { connect } = await startTestServer({ faults: { errOnTop: true } });
    const client = await connect();
    await client.readLine();
    expect((await client.multiline('CAPA')).body.toString()).toContain('TOP\r\n');
    await client.command('USER alice');
    await client.command(`PASS ${PASSWORD}`);
    expect(await client.command('TOP 1 0')).toMatch(/^-ERR/);
  });

  it('garbageOn answers with the raw line', async () => {
    const { login } = await startTestServer({
      faults: { garbageOn: { command: 'STAT', line: '* OK IMAP4rev1' } },
    });
    const client = await login();
    expect(await client.command('STAT')).toBe('* OK IMAP4rev1');
    expect(await client.command('NOOP')).toBe('+OK NOOP');
  });

  it('longLineOn sends a status line of that many bytes without CRLF', async () => {
    const { login } = await startTestServer({ faults: { longLineOn: { command: 'UIDL', bytes: 100_000 } } });
    const client = await login();
    client.send('UIDL\r\nQUIT\r\n');
    const received = await client.readUntilClosed();
    expect(received.subarray(0, 100_000).toString()).toMatch(/^\+OK x+$/);
    expect(received.subarray(100_000).toString()).toMatch(/^\+OK .*signing off/);
  });

  it('binaryOn sends non-text bytes', async () => {
    const { login } = await startTestServer({ faults: { binaryOn: { command: 'LIST', bytes: 64 } } });
    const client = await login();
    const line = Buffer.from(await client.command('LIST'), 'utf8');
    expect(line.length).toBeGreaterThan(0);
    expect(line.toString('latin1')).not.toMatch(/^[+-]/);
  });

  for (const code of ['IN-USE', 'LOGIN-DELAY', 'SYS/TEMP', 'SYS/PERM'] as const) {
    it(`loginError ${code} refuses every login method`, async () => {
      const { connect } = await startTestServer({ faults: { loginError: code } });
      const client = await connect();
      await client.readLine();
      await client.command('USER alice');
      expect(await client.command(`PASS ${PASSWORD}`)).toMatch(new RegExp(`^-ERR \\[${code}\\] `));
      const plain = Buffer.from(`\0alice\0${PASSWORD}`).toString('base64');
      expect(await client.command(`AUTH PLAIN ${plain}`)).toMatch(new RegExp(`^-ERR \\[${code}\\] `));
    });
  }

  it('bytesPerSecond throttles output', async () => {
    const { connect } = await startTestServer({ faults: { bytesPerSecond: 200 } });
    const client = await connect();
    const started = Date.now();
    await client.readLine(); // ~80 bytes at 200 B/s
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('setFaults breaks and mends the server, in open sessions too', async () => {
    const { server, login } = await startTestServer();
    const client = await login();
    server.setFaults({ garbageOn: { command: 'STAT', line: 'nonsense' } });
    expect(await client.command('STAT')).toBe('nonsense');
    server.setFaults({});
    expect(await client.command('STAT')).toMatch(/^\+OK 3/);
    server.setFaults({ dropAfterCommand: { command: 'NOOP' } });
    client.send('NOOP\r\n');
    expect((await client.readUntilClosed()).length).toBe(0);
    server.setFaults({ loginError: 'IN-USE' });
    await expect(login()).rejects.toThrow(/IN-USE/);
  });

  it('onCommand can answer a command itself', async () => {
    const { login } = await startTestServer({
      onCommand: (ctx) => {
        if (ctx.command !== 'XTEST') return;
        ctx.write(`+OK ${ctx.state} ${ctx.args.join(',')}\r\n`);
        return true;
      },
    });
    const client = await login();
    expect(await client.command('xtest a b')).toBe('+OK TRANSACTION a,b');
    expect(await client.command('NOOP')).toBe('+OK NOOP');
  });

  it('sends a 1 MB message intact (backpressure) and counts connections', async () => {
    const big = (await corpusMessages()).find((message) => message.name === 'mailparser-large_text.eml')!;
    const { server, login } = await startTestServer({
      accounts: [{ username: 'alice', password: PASSWORD, messages: [big.bytes] }],
    });
    const client = await login();
    const { body } = await client.multiline('RETR 1');
    expect(body.equals(Buffer.from(toCrlf(big.bytes)))).toBe(true);
    expect(server.openConnections).toBe(1);
    await server.close();
    expect(await client.closesWithin(1000)).toBe(true);
  });
});
